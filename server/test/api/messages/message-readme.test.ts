import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { callbackHeaders } from '@ponte/sdk/callbacks';
import { callbackVectors } from '@ponte/sdk/vectors';
import { afterAll, describe, expect, it } from 'vitest';
import { MESSAGE_BODIES, type MessageKindName } from '../../../src/modules/messages/message-bodies.js';
import { waitFor } from '../../wait.js';

/**
 * The README's "Callback messages": where it stands, its table and examples as message-bodies.ts has them (written by
 * `npm run generate`), its receiver run as printed against signed deliveries, and its shell check run as printed
 * against the published vectors.
 */

const ROOT = path.resolve(import.meta.dirname, '../../../..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const names = Object.keys(MESSAGE_BODIES) as MessageKindName[];
const STALE = 'README.md is stale: run `npm run generate`';

/** The text between `<!-- {name}:start -->` and `<!-- {name}:end -->`. */
function between(name: string): string {
  const start = `<!-- ${name}:start -->`;
  const from = README.indexOf(start);
  const to = README.indexOf(`<!-- ${name}:end -->`);
  expect(from, `README.md has no ${start}`).toBeGreaterThanOrEqual(0);
  expect(to, `README.md has no end to ${start}`).toBeGreaterThan(from);
  return README.slice(from + start.length, to);
}

/** The one code block of a marked part. */
const codeOf = (name: string, lang: string) => {
  const block = new RegExp(`^\\s*\`\`\`${lang}\\n([\\s\\S]*?)\`\`\`\\s*$`).exec(between(name));
  expect(block, `${name}: one ${lang} block`).not.toBeNull();
  return (block as RegExpExecArray)[1] as string;
};

describe('README: Callback messages', () => {
  it('follows "Callback signatures"', () => {
    const headings = [...README.matchAll(/^#{1,3} .*$/gm)].map((m) => m[0]);
    const signatures = headings.indexOf('### Callback signatures');
    expect(signatures).toBeGreaterThanOrEqual(0);
    expect(headings[signatures + 1]).toBe('### Callback messages');
    const section = README.slice(README.indexOf('### Callback messages'));
    for (const name of ['callback-messages', 'callback-receiver', 'callback-shell']) {
      expect(section.indexOf(`<!-- ${name}:start -->`), name).toBeLessThan(section.indexOf('\n## '));
    }
  });

  it('lists every kind with its platform and when it is sent, and its example body, as message-bodies.ts has them', () => {
    const text = between('callback-messages');
    const rows = [...text.matchAll(/^\| `([A-Z_]+)` \| ([^|]+) \| (.+) \|$/gm)].map((m) => [m[1], m[2], m[3]]);
    const platform = { 0: '0 (Taobao)', 1: '1 (1688)', null: 'null' };
    expect(rows, STALE).toEqual(
      names.map((n) => {
        const k = MESSAGE_BODIES[n];
        return [k.messageType, platform[`${k.platform}`], k.description.replace(/\|/g, '\\|')];
      }),
    );
    const examples = [
      ...text.matchAll(/<summary><code>([A-Z_]+)<\/code>, ([^:]+): an example[^\n]*\n\n```json\n([\s\S]*?)\n```/g),
    ].map((m) => [m[1], m[2], JSON.parse(m[3] as string) as unknown]);
    expect(examples, STALE).toEqual(
      names.map((n) => {
        const k = MESSAGE_BODIES[n];
        return [k.messageType, platform[`${k.platform}`], k.example];
      }),
    );
  });
});

describe('README: the receiver, run as printed', () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill();
  });

  it('answers 2xx to signed deliveries and 401 otherwise, and handles each message once, newest version only', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const secret = `whsec_${randomBytes(24).toString('base64')}`;
    let out = '';
    child = spawn(
      process.execPath,
      ['--conditions=ponte-source', '--import', 'tsx', '--input-type=module', '-e', codeOf('callback-receiver', 'js')],
      { cwd: ROOT, env: { ...process.env, PORT: String(port), PONTE_CALLBACK_SECRET: secret } },
    );
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString('utf8');
    });
    child.stderr?.on('data', (c: Buffer) => {
      out += c.toString('utf8');
    });
    const url = `http://127.0.0.1:${port}/`;
    await waitFor(
      () =>
        fetch(url, { method: 'POST' }).then(
          () => true,
          () => false,
        ),
      {
        timeoutMs: 20_000,
        message: () => `the receiver to listen: ${out}`,
      },
    );

    const send = async (id: string, name: MessageKindName, version: number, key = secret) => {
      const { messageType, platform, example } = MESSAGE_BODIES[name];
      const body = JSON.stringify({
        messageId: id,
        messageType,
        messagePlatform: platform,
        messageBody: example,
        timestamp: Date.now(),
        version,
      });
      const headers = callbackHeaders(key, id, Math.floor(Date.now() / 1000), body);
      const res = await fetch(url, {
        method: 'POST',
        body,
        headers: { ...headers, 'content-type': 'application/json' },
      });
      return res.status;
    };
    const status = 'TAOBAO_ORDER_BUYER_VIEW_ORDER_STATUS_CHANGE';
    expect(await send('m1', status, 4)).toBe(204);
    expect(await send('m1', status, 4)).toBe(204); // a repeat
    expect(await send('m2', status, 3)).toBe(204); // older than the last one processed
    expect(await send('m3', status, 5)).toBe(204);
    expect(await send('m4', status, 6, `whsec_${randomBytes(24).toString('base64')}`)).toBe(401);
    expect(await send('m5', 'CALLBACK_VERIFICATION', 0)).toBe(204);
    expect(await send('m6', '1688_ORDER_BUYER_VIEW_ORDER_PAY', 1)).toBe(204);

    const taobao = MESSAGE_BODIES[status].example.orderId;
    const alibaba = MESSAGE_BODIES['1688_ORDER_BUYER_VIEW_ORDER_PAY'].example.baseInfo.id;
    const expected = [
      `ORDER_BUYER_VIEW_ORDER_STATUS_CHANGE ${taobao} 4`,
      `ORDER_BUYER_VIEW_ORDER_STATUS_CHANGE ${taobao} 5`,
      'CALLBACK_VERIFICATION - 0',
      `ORDER_BUYER_VIEW_ORDER_PAY ${alibaba} 1`,
    ];
    await waitFor(() => out.trim().split('\n').length >= expected.length, { message: () => `4 lines: ${out}` });
    expect(out.trim().split('\n')).toEqual(expected);
  });
});

const openssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!openssl) process.stdout.write('README shell signature check skipped: openssl is not on PATH\n');

describe.skipIf(!openssl)('README: the shell signature check, run as printed', () => {
  const check = (env: Record<string, string>) =>
    execFileSync('sh', ['-c', codeOf('callback-shell', 'sh')], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
      encoding: 'utf8',
    }).trim();

  it('finds every published vector valid under each of its secrets, and a changed body invalid', () => {
    expect(callbackVectors.length).toBeGreaterThanOrEqual(4);
    for (const v of callbackVectors) {
      for (const secret of v.secrets) {
        const env = { id: v.id, ts: String(v.timestamp), body: v.body, secret, signature: v.signature };
        expect(check(env), `${v.name} with ${secret}`).toBe('valid');
        expect(check({ ...env, body: `${v.body} ` }), `${v.name}, body changed`).toBe('invalid');
        expect(check({ ...env, ts: String(v.timestamp + 1) }), `${v.name}, timestamp changed`).toBe('invalid');
      }
    }
  });
});
