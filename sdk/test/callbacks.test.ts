import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it, vi } from 'vitest';
import {
  CallbackVerificationError,
  callbackHeaders,
  callbackSignature,
  DEFAULT_TOLERANCE_SECONDS,
  verifyCallback,
} from '../src/callbacks.js';
import { callbackVectors } from '../src/vectors.js';

// Callback signatures (Standard Webhooks): the published vectors, and agreement both ways with the reference
// `standardwebhooks` package.

const secret = () => `whsec_${randomBytes(24).toString('base64')}`;
const at = (seconds: number) => () => seconds * 1000;

/** Runs `fn` with the system clock (which the reference library reads) at `seconds`. */
function refAt<T>(seconds: number, fn: () => T): T {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(seconds * 1000);
  try {
    return fn();
  } finally {
    vi.useRealTimers();
  }
}

/** The reason a verification fails with, or 'ok'. */
function outcome(fn: () => unknown): string {
  try {
    fn();
    return 'ok';
  } catch (err) {
    if (err instanceof CallbackVerificationError) return err.reason;
    throw err;
  }
}

describe('published callback vectors', () => {
  it('covers the specification example, a UTF-8 body, a rotation and an empty object', () => {
    expect(callbackVectors.map((v) => v.name)).toEqual([
      'standard-webhooks-example',
      'ponte-order-status',
      'rotation-two-secrets',
      'empty-object',
    ]);
  });

  for (const v of callbackVectors) {
    it(`${v.name}: signs as published, and the reference library agrees`, () => {
      expect(callbackHeaders(v.secrets, v.id, v.timestamp, v.body)).toEqual({
        'webhook-id': v.id,
        'webhook-timestamp': String(v.timestamp),
        'webhook-signature': v.signature,
      });
      const headers = {
        'webhook-id': v.id,
        'webhook-timestamp': String(v.timestamp),
        'webhook-signature': v.signature,
      };
      for (const s of v.secrets) {
        expect(new Webhook(s).sign(v.id, new Date(v.timestamp * 1000), v.body)).toBe(
          callbackSignature(s, v.id, v.timestamp, v.body),
        );
        // Each secret alone verifies the delivery (during a rotation a receiver may hold either).
        const { id, timestamp, message } = verifyCallback(headers, v.body, s, { now: at(v.timestamp) });
        expect({ id, timestamp }).toEqual({ id: v.id, timestamp: v.timestamp });
        expect(message).toEqual(JSON.parse(v.body));
      }
    });
  }
});

describe('verifyCallback', () => {
  const body = JSON.stringify({ messageType: 'ORDER_BUYER_VIEW_ORDER_PAY', messageBody: { orderId: '1' }, version: 2 });
  const key = secret();
  const now = 1_796_474_645;
  const signed = callbackHeaders(key, 'msg_1', now, body);

  it('accepts what the reference library signs, and the reference library accepts what it signs', () => {
    const ref = new Webhook(key);
    const theirs = {
      'webhook-id': 'msg_2',
      'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
      'webhook-signature': ref.sign('msg_2', new Date(), body),
    };
    expect(verifyCallback(theirs, body, key).id).toBe('msg_2');
    const ours = callbackHeaders(key, 'msg_3', Math.floor(Date.now() / 1000), body);
    expect(ref.verify(body, ours)).toEqual(JSON.parse(body));
  });

  it('refuses a changed body, id or timestamp, and another secret', () => {
    expect(outcome(() => verifyCallback(signed, `${body} `, key, { now: at(now) }))).toBe('no_matching_signature');
    expect(outcome(() => verifyCallback({ ...signed, 'webhook-id': 'msg_9' }, body, key, { now: at(now) }))).toBe(
      'no_matching_signature',
    );
    expect(
      outcome(() => verifyCallback({ ...signed, 'webhook-timestamp': String(now + 1) }, body, key, { now: at(now) })),
    ).toBe('no_matching_signature');
    expect(outcome(() => verifyCallback(signed, body, secret(), { now: at(now) }))).toBe('no_matching_signature');
  });

  it('takes the body as bytes or text, and headers from Node, Fetch or any letter case', () => {
    const bytes = new TextEncoder().encode(body);
    expect(outcome(() => verifyCallback(signed, bytes, key, { now: at(now) }))).toBe('ok');
    expect(outcome(() => verifyCallback(new Headers({ ...signed }), body, key, { now: at(now) }))).toBe('ok');
    const shouting = {
      'Webhook-Id': [signed['webhook-id']],
      'WEBHOOK-TIMESTAMP': signed['webhook-timestamp'],
      'Webhook-Signature': signed['webhook-signature'],
    };
    expect(outcome(() => verifyCallback(shouting, body, key, { now: at(now) }))).toBe('ok');
  });

  it('accepts a timestamp within the tolerance either way, and refuses one outside it', () => {
    const t = DEFAULT_TOLERANCE_SECONDS;
    expect(outcome(() => verifyCallback(signed, body, key, { now: at(now + t) }))).toBe('ok');
    expect(outcome(() => verifyCallback(signed, body, key, { now: at(now - t) }))).toBe('ok');
    expect(outcome(() => verifyCallback(signed, body, key, { now: at(now + t + 1) }))).toBe('timestamp_too_old');
    expect(outcome(() => verifyCallback(signed, body, key, { now: at(now - t - 1) }))).toBe('timestamp_too_new');
    expect(outcome(() => verifyCallback(signed, body, key, { now: at(now + 20), toleranceSeconds: 10 }))).toBe(
      'timestamp_too_old',
    );
  });

  it('during a rotation, accepts a delivery signed with either secret when the receiver holds both', () => {
    const [fresh, old] = [secret(), secret()];
    const byOld = callbackHeaders(old, 'msg_4', now, body);
    const byFresh = callbackHeaders(fresh, 'msg_4', now, body);
    expect(outcome(() => verifyCallback(byOld, body, [fresh, old], { now: at(now) }))).toBe('ok');
    expect(outcome(() => verifyCallback(byFresh, body, [fresh, old], { now: at(now) }))).toBe('ok');
    expect(outcome(() => verifyCallback(byOld, body, [fresh], { now: at(now) }))).toBe('no_matching_signature');
    // Signatures of other schemes in the header are skipped, not errors.
    const mixed = { ...byFresh, 'webhook-signature': `v1a,AAAA ${byFresh['webhook-signature']}` };
    expect(outcome(() => verifyCallback(mixed, body, fresh, { now: at(now) }))).toBe('ok');
  });

  it('names what is wrong with a malformed delivery', () => {
    const { 'webhook-signature': _, ...unsigned } = signed;
    expect(outcome(() => verifyCallback(unsigned, body, key, { now: at(now) }))).toBe('missing_header');
    expect(outcome(() => verifyCallback({ ...signed, 'webhook-timestamp': '1.5e9' }, body, key))).toBe(
      'invalid_timestamp',
    );
    expect(outcome(() => verifyCallback(signed, body, 'whsec_not base64!', { now: at(now) }))).toBe('invalid_secret');
    expect(outcome(() => verifyCallback(signed, body, [], { now: at(now) }))).toBe('invalid_secret');
    const notJson = callbackHeaders(key, 'msg_5', now, 'plain text');
    expect(outcome(() => verifyCallback(notJson, 'plain text', key, { now: at(now) }))).toBe('invalid_body');
  });

  it('agrees with the reference library on 1,000 random payloads, and both refuse any change to id, timestamp or body', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/),
        fc.string({ unit: 'grapheme', maxLength: 200 }),
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        fc.integer({ min: 1_000_000_000, max: 4_000_000_000 }),
        (id, text, keyBytes, ts) => {
          const s = `whsec_${Buffer.from(keyBytes).toString('base64')}`;
          const body = JSON.stringify({ text });
          const ref = new Webhook(s);
          expect(callbackSignature(s, id, ts, body)).toBe(ref.sign(id, new Date(ts * 1000), body));
          const headers = callbackHeaders(s, id, ts, body);
          expect(verifyCallback(headers, body, s, { now: at(ts) }).id).toBe(id);
          expect(refAt(ts, () => ref.verify(body, headers))).toEqual({ text });
          const changed = [
            { headers: { ...headers, 'webhook-id': `${id}x` }, body },
            { headers: { ...headers, 'webhook-timestamp': String(ts + 1) }, body },
            { headers, body: JSON.stringify({ text: `${text}.` }) },
          ];
          for (const c of changed) {
            expect(() => verifyCallback(c.headers, c.body, s, { now: at(ts) })).toThrow(CallbackVerificationError);
            expect(() => refAt(ts, () => ref.verify(c.body, c.headers))).toThrow();
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
