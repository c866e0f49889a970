import type { SandboxMarket } from '../providers/sandbox/sandbox.js';
import type { Platform, UpstreamEvent } from '../providers/types.js';

/** A push as a fake sent it: the subscriber's HTTP status, `dropped` for one lost on purpose, 0 when unreachable. */
export interface PushRecord {
  status: number | 'dropped';
}

/** What both fakes' push emitters offer a test: losing pushes on purpose, and what was sent and not delivered. */
export interface PushQueue<R extends PushRecord> {
  /** Loses the next `n` pushes. */
  drop(n: number): void;
  /** While on, every push is lost. */
  setDropping(on: boolean): void;
  /** Every message made, in order. */
  readonly sent: readonly R[];
  /** The messages that did not reach the subscriber (lost, refused, unreachable). */
  readonly undelivered: readonly R[];
  /** Stops pushing: events after this are ignored. */
  stop(): void;
}

/**
 * Subscribes to one platform's events of the market and pushes the message `make` builds of each (null: the event
 * has no message) with `send`, which answers the subscriber's HTTP status. A subscriber that fails is not the
 * market's problem: the event counts as delivered, the message as not.
 */
export function startPushQueue<R extends PushRecord>(
  market: SandboxMarket,
  platform: Platform,
  make: (event: UpstreamEvent) => R | null,
  send: (record: R) => Promise<number>,
): PushQueue<R> {
  const sent: R[] = [];
  const undelivered: R[] = [];
  let dropNext = 0;
  let dropping = false;
  let stopped = false;
  market.events.subscribe(platform, async (event) => {
    if (stopped) return;
    const record = make(event);
    if (!record) return;
    sent.push(record);
    if (dropping || dropNext > 0) {
      if (dropNext > 0) dropNext--;
      undelivered.push(record);
      return;
    }
    try {
      record.status = await send(record);
    } catch {
      record.status = 0;
    }
    if (record.status !== 200) undelivered.push(record);
  });
  return {
    drop(n) {
      dropNext += Math.max(0, n);
    },
    setDropping(on) {
      dropping = on;
    },
    sent,
    undelivered,
    stop() {
      stopped = true;
    },
  };
}
