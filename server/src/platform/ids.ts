import { randomBytes, randomInt } from 'node:crypto';
import type { Database } from './db/database.js';

/**
 * Time-ordered 64-bit ids written in decimal (snowflake-like): 41 bits of milliseconds since
 * 2020-01-01, 10 bits of node number, 12 bits of sequence. Unique within a process by construction;
 * across processes because each running process leases its node number in the database
 * (`NodeLease`). Until a lease is taken (tools that never start the server) the node is random.
 */
const EPOCH = 1_577_836_800_000n;
export const NODE_COUNT = 1024;

export class IdGenerator {
  private node: bigint;
  private lastMs = -1n;
  private seq = 0n;

  constructor(node: number = randomInt(NODE_COUNT)) {
    this.node = BigInt(node & (NODE_COUNT - 1));
  }

  /** The node number in use. */
  get nodeId(): number {
    return Number(this.node);
  }

  /** Switches to a leased node number (ids stay unique: the sequence state is kept). */
  useNode(node: number): void {
    this.node = BigInt(node & (NODE_COUNT - 1));
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

export interface NodeLeaseOptions {
  /** How long a lease lasts without renewal; a crashed process's node is free again after it. */
  leaseMs?: number;
  now?: () => number;
  onError?: (err: unknown) => void;
}

/**
 * Holds a node number for an `IdGenerator` in `id_nodes`, renewed in the background. If a renewal
 * finds the lease taken (the process stalled past its lease), a new node is leased at once.
 */
export class NodeLease {
  readonly owner = `${process.pid}-${randomHex32().slice(0, 12)}`;
  private readonly leaseMs: number;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private node: number | undefined;

  constructor(
    private readonly database: Database,
    private readonly ids: IdGenerator,
    private readonly options: NodeLeaseOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /** Leases a free node and starts renewing it; returns the node number. */
  async start(): Promise<number> {
    const node = await this.acquire();
    this.timer = setInterval(() => {
      this.renew().catch((err: unknown) => this.options.onError?.(err));
    }, this.leaseMs / 3);
    this.timer.unref();
    return node;
  }

  private async acquire(): Promise<number> {
    const { db } = this.database;
    for (let tries = 0; tries < 20; tries++) {
      const now = this.now();
      const taken = new Set(
        (await db.selectFrom('id_nodes').select('node').where('lease_until', '>=', now).execute()).map((r) =>
          Number(r.node),
        ),
      );
      if (taken.size >= NODE_COUNT) throw new Error('every id node is leased: too many running processes');
      const free = [...Array(NODE_COUNT).keys()].filter((n) => !taken.has(n));
      const node = free[randomInt(free.length)] as number;
      const won = await db
        .insertInto('id_nodes')
        .values({ node, owner: this.owner, lease_until: now + this.leaseMs })
        .onConflict((oc) =>
          oc
            .column('node')
            .doUpdateSet({ owner: this.owner, lease_until: now + this.leaseMs })
            .where('id_nodes.lease_until', '<', now),
        )
        .executeTakeFirst();
      if (Number(won.numInsertedOrUpdatedRows ?? 0) === 1) {
        this.node = node;
        this.ids.useNode(node);
        return node;
      }
    }
    throw new Error('could not lease an id node');
  }

  /** Extends the lease; leases another node when this one was taken meanwhile. */
  async renew(): Promise<void> {
    if (this.node === undefined) return;
    const r = await this.database.db
      .updateTable('id_nodes')
      .set({ lease_until: this.now() + this.leaseMs })
      .where('node', '=', this.node)
      .where('owner', '=', this.owner)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 1) return;
    this.options.onError?.(new Error(`id node ${this.node} was leased by another process; taking a new one`));
    await this.acquire();
  }

  /** Stops renewing and frees the node for the next process. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    if (this.node === undefined) return;
    await this.database.db
      .deleteFrom('id_nodes')
      .where('node', '=', this.node)
      .where('owner', '=', this.owner)
      .execute()
      .catch(() => {});
    this.node = undefined;
  }
}
