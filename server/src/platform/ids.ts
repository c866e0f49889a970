import { randomBytes, randomInt } from 'node:crypto';

/**
 * Time-ordered 64-bit ids written in decimal (snowflake-like): 41 bits of milliseconds since
 * 2020-01-01, 10 bits of process id chosen at random, 12 bits of sequence. Unique within a process
 * by construction and across processes with high probability; tables also hold a unique key.
 */
const EPOCH = 1_577_836_800_000n;

export class IdGenerator {
  private readonly node: bigint;
  private lastMs = -1n;
  private seq = 0n;

  constructor(node: number = randomInt(1024)) {
    this.node = BigInt(node & 1023);
  }

  next(nowMs: number = Date.now()): string {
    let ms = BigInt(nowMs) - EPOCH;
    if (ms < this.lastMs) ms = this.lastMs; // clock stepped back: keep ids growing
    if (ms === this.lastMs) {
      this.seq = (this.seq + 1n) & 4095n;
      if (this.seq === 0n) ms = this.lastMs + 1n; // sequence exhausted in this ms: borrow the next
    } else {
      this.seq = 0n;
    }
    this.lastMs = ms;
    return ((ms << 22n) | (this.node << 12n) | this.seq).toString();
  }
}

/** 32 lower-case hex characters (128 random bits): request ids, access keys. */
export function randomHex32(): string {
  return randomBytes(16).toString('hex');
}
