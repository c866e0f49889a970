import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyCallback } from '@ponte/sdk/callbacks';

/**
 * A developer's callback receiver on loopback for the delivery tests across workers and processes: one HTTP
 * server, one path per developer (`/cb/<name>`). It records, per `webhook-id`, how many requests came, every
 * distinct body, how many requests were in flight at once (a request is in flight from its arrival until its
 * answer is written or its connection closes), and the order of events (a counter, not the time), so that a test
 * can tell whether a message was ever sent by two workers at once, whether a repeat differed from the first
 * delivery, and whether a version of an object arrived before the previous one was acknowledged. The signing
 * secrets of the paths, once known, are checked on every request. Verification POSTs (saving a URL) are answered
 * 200 and not recorded.
 */

export interface Receipt {
  /** Requests that arrived with this webhook-id. */
  count: number;
  /** The distinct bodies received (one unless a repeat differed). */
  bodies: Set<string>;
  /** The path it came to (the developer). */
  path: string;
  /** Requests of this id being handled now. */
  inFlight: number;
  /** The most requests of this id in flight at once. */
  maxInFlight: number;
  /** The event number of the first arrival. */
  firstArrival: number;
  /** The event number at which the first 2xx answer to it was written, or null. */
  acked: number | null;
  /** The statuses answered, in order. */
  answers: number[];
}

export interface ReceiverOptions {
  /** The status that answers a request; `nth` counts this id's requests from 1. Default 200. */
  answer?: (id: string, nth: number, path: string) => number;
  /** Milliseconds to hold a request before answering it (default 0: at once). */
  holdMs?: () => number;
  /** The receiver's clock for the signatures' timestamps (default `Date.now`). */
  now?: () => number;
}

export interface CallbackReceiver {
  /** `http://127.0.0.1:<port>/cb/<name>`. */
  url(name: string): string;
  /** The secret that signs what comes to `/cb/<name>`; checked on every later request. */
  trust(name: string, secret: string): void;
  readonly receipts: Map<string, Receipt>;
  /** Requests received in all (verification POSTs left out). */
  readonly requests: () => number;
  /** Problems seen: bad signatures, a body that is not the message it names, an id in flight twice at once. */
  readonly problems: string[];
  /** Ids received in flight at once with another request of the same id. */
  readonly overlapping: Set<string>;
  close(): Promise<void>;
}

const MAX_PROBLEMS = 50;

export async function startReceiver(options: ReceiverOptions = {}): Promise<CallbackReceiver> {
  const receipts = new Map<string, Receipt>();
  const secrets = new Map<string, string>();
  const problems: string[] = [];
  const overlapping = new Set<string>();
  let requests = 0;
  let events = 0;
  const problem = (text: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push(text);
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = (req.url ?? '').replace(/^\/cb\//, '');
      if (body.includes('"messageType":"CALLBACK_VERIFICATION"')) {
        res.writeHead(200).end('ok');
        return;
      }
      requests++;
      const id = String(req.headers['webhook-id'] ?? '');
      let r = receipts.get(id);
      if (!r) {
        r = {
          count: 0,
          bodies: new Set(),
          path,
          inFlight: 0,
          maxInFlight: 0,
          firstArrival: ++events,
          acked: null,
          answers: [],
        };
        receipts.set(id, r);
      }
      const receipt = r;
      receipt.count++;
      receipt.bodies.add(body);
      if (receipt.path !== path) problem(`${id} came to /cb/${path} and to /cb/${receipt.path}`);
      receipt.inFlight++;
      if (receipt.inFlight > 1) {
        overlapping.add(id);
        problem(`${id}: ${receipt.inFlight} requests in flight at once`);
      }
      receipt.maxInFlight = Math.max(receipt.maxInFlight, receipt.inFlight);
      let ended = false;
      const end = () => {
        if (ended) return;
        ended = true;
        receipt.inFlight--;
      };
      res.on('close', end);
      const secret = secrets.get(path);
      if (secret) {
        try {
          const { message } = verifyCallback<unknown>(req.headers, body, secret, { now: options.now });
          if ((message as { messageId?: string }).messageId !== id) problem(`${id}: the body names another message`);
        } catch (err) {
          problem(`${id}: ${(err as Error).message}`);
        }
      }
      const answer = options.answer?.(id, receipt.count, path) ?? 200;
      receipt.answers.push(answer);
      const respond = () => {
        // Acknowledged from the moment the answer is written: the sender cannot know it any earlier.
        if (answer >= 200 && answer < 300 && receipt.acked === null) receipt.acked = ++events;
        res.writeHead(answer, { 'content-type': 'text/plain' });
        res.end(answer < 300 ? 'ok' : 'not now', end);
      };
      const hold = options.holdMs?.() ?? 0;
      if (hold > 0) setTimeout(respond, hold);
      else respond();
    });
  });
  // Connections are kept alive by the senders; a short keep-alive here would race their reuse.
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 130_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (name) => `http://127.0.0.1:${port}/cb/${name}`,
    trust: (name, secret) => secrets.set(name, secret),
    receipts,
    requests: () => requests,
    problems,
    overlapping,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
