import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { errorMessage, SUCCESS_MESSAGE } from '../http/errors.js';

export interface StartingListener {
  /** What `/readyz` names as the reason it is not ready yet. */
  setReason(reason: string): void;
  /** Closes the listener; resolves once the port is free again. */
  close(): Promise<void>;
}

function answer(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    connection: 'close',
  });
  res.end(text);
}

/**
 * Answers on the server's port while the database is migrated and the start-up work runs, before the application
 * can answer: `/healthz`
 * says the process is alive and everything else, `/readyz` included, answers 503 with 50301 naming the reason. A load
 * balancer or an orchestrator probing `/readyz` then holds traffic back instead of seeing connections refused, and a
 * long migration is not mistaken for a dead process.
 */
export async function listenWhileStarting(port: number, host: string, reason: string): Promise<StartingListener> {
  let current = reason;
  const server = http.createServer((req, res) => {
    req.resume();
    const requestId = randomUUID().replace(/-/g, '');
    if (req.url === '/healthz' || req.url?.startsWith('/healthz?')) {
      answer(res, 200, { requestId, code: 200, developId: '', msg: SUCCESS_MESSAGE.en, data: { status: 'ok' } });
      return;
    }
    res.setHeader('retry-after', '5');
    answer(res, 503, {
      requestId,
      code: 50301,
      developId: '',
      msg: errorMessage(50301, 'en', { reason: current }),
      data: null,
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    setReason: (next) => {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
