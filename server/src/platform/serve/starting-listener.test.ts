import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { listenWhileStarting } from './starting-listener.js';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

describe('listenWhileStarting', () => {
  it('answers /readyz 50301 with its reason and /healthz 200 until closed, then frees the port', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const starting = await listenWhileStarting(port, '127.0.0.1', 'migrations running');
    try {
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(503);
      expect(ready.headers.get('retry-after')).toBe('5');
      const body = (await ready.json()) as { code: number; msg: string; data: unknown; requestId: string };
      expect(body).toMatchObject({ code: 50301, data: null });
      expect(body.msg).toContain('migrations running');
      expect(body.requestId).toMatch(/^[0-9a-f]{32}$/);

      const alive = await fetch(`${base}/healthz`);
      expect(alive.status).toBe(200);
      expect(await alive.json()).toMatchObject({ code: 200, data: { status: 'ok' } });

      // Any other route waits too: the application is not there yet.
      expect((await fetch(`${base}/open/product/get?itemId=1`)).status).toBe(503);

      starting.setReason('starting');
      expect(((await (await fetch(`${base}/readyz`)).json()) as { msg: string }).msg).toContain('starting');
    } finally {
      await starting.close();
    }
    // The server can listen on the port at once.
    await new Promise<void>((resolve, reject) => {
      const s = net.createServer().once('error', reject);
      s.listen(port, '127.0.0.1', () => s.close(() => resolve()));
    });
  });

  it('fails when the port is taken', async () => {
    const taken = net.createServer();
    const port = await new Promise<number>((resolve) =>
      taken.listen(0, '127.0.0.1', () => resolve((taken.address() as net.AddressInfo).port)),
    );
    try {
      await expect(listenWhileStarting(port, '127.0.0.1', 'migrations running')).rejects.toThrow(/EADDRINUSE/);
    } finally {
      taken.close();
    }
  });
});
