import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logging.js';

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  return { stream, text: () => text };
}

describe('createLogger', () => {
  it('writes one JSON object per line with LOG_FORMAT=json', async () => {
    const out = capture();
    const log = createLogger({ logLevel: 'info', logFormat: 'json' }, {}, out.stream);
    log.info({ requestId: 'abc' }, 'request completed');
    log.debug('not at this level');
    await new Promise((r) => setImmediate(r));
    const lines = out.text().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ level: 30, requestId: 'abc', msg: 'request completed' });
  });

  it('writes human-readable lines with LOG_FORMAT=pretty, and still redacts', async () => {
    const out = capture();
    const log = createLogger(
      { logLevel: 'info', logFormat: 'pretty' },
      { redact: ['req.headers.signature'] },
      out.stream,
    );
    log.warn({ req: { headers: { signature: 'SECRET-SIGNATURE' } }, requestId: 'abc' }, 'refused');
    await new Promise((r) => setImmediate(r));
    const text = out.text();
    expect(text).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] WARN: refused\n/);
    expect(text).toContain('requestId: "abc"');
    expect(text).not.toContain('SECRET-SIGNATURE');
    expect(() => JSON.parse(text)).toThrow();
  });
});
