import { randomBytes } from 'node:crypto';
import type Sqlite from 'better-sqlite3';
import type { Platform, UpstreamEvent, UpstreamEventSink, UpstreamEventType } from '../../types.js';

interface EventRow {
  seq: number;
  platform: Platform;
  type: UpstreamEventType;
  at: number;
  order_id: string | null;
  refund_id: string | null;
  product_id: string | null;
  data: string;
  delivered_at: number | null;
}

export interface NewEvent {
  platform: Platform;
  type: UpstreamEventType;
  at: number;
  orderId?: string;
  refundId?: string;
  productId?: string;
  data?: Record<string, unknown>;
}

export interface EventQuery {
  afterSeq?: number;
  platform?: Platform;
  type?: UpstreamEventType;
  orderId?: string;
  refundId?: string;
  limit: number;
}

export type ListedEvent = UpstreamEvent & { seq: number; delivered: boolean };

/**
 * The market's event log. Events are written in the same transaction as the change they report,
 * then delivered in order to the sinks (the platform's inbox of upstream events). One process at
 * a time delivers, under a lease in the store, so events reach the platform in order.
 */
export class EventLog {
  private readonly sinks = new Map<Platform, UpstreamEventSink[]>();
  private readonly insert: Sqlite.Statement;
  private readonly pending: Sqlite.Statement<[number], EventRow>;
  private readonly markDelivered: Sqlite.Statement<[number, number]>;
  private readonly takeLease: Sqlite.Statement<[string, number, number, string]>;
  private readonly owner = `${process.pid}-${Math.random().toString(36).slice(2)}`;
  private running: Promise<number> | null = null;
  private queued: Promise<number> | null = null;

  constructor(
    private readonly db: Sqlite.Database,
    private readonly realNow: () => number,
  ) {
    this.insert = db.prepare(
      `insert into events (platform, type, at, order_id, refund_id, product_id, data)
       values (@platform, @type, @at, @orderId, @refundId, @productId, @data)`,
    );
    this.pending = db.prepare('select * from events where delivered_at is null order by seq limit ?');
    this.markDelivered = db.prepare('update events set delivered_at = ? where seq = ?');
    this.takeLease = db.prepare(
      `insert into meta (key, value) values ('dispatch_lease', json_object('owner', ?, 'until', ?))
       on conflict (key) do update set value = excluded.value
       where json_extract(meta.value, '$.until') < ? or json_extract(meta.value, '$.owner') = ?`,
    );
  }

  /** Call inside the transaction that makes the change. */
  append(e: NewEvent): void {
    this.insert.run({
      platform: e.platform,
      type: e.type,
      at: e.at,
      orderId: e.orderId ?? null,
      refundId: e.refundId ?? null,
      productId: e.productId ?? null,
      data: JSON.stringify(e.data ?? {}),
    });
  }

  subscribe(platform: Platform, sink: UpstreamEventSink): void {
    const list = this.sinks.get(platform) ?? [];
    list.push(sink);
    this.sinks.set(platform, list);
  }

  /**
   * Event ids are `{source}-{seq}`: the source is drawn when the market starts over (its meta is
   * wiped by a reset), so ids never repeat across resets and a consumer's dedupe stays right.
   */
  private source(): string {
    const read = () =>
      (this.db.prepare("select value from meta where key = 'event_source'").get() as { value: string } | undefined)
        ?.value;
    const known = read();
    if (known) return known;
    this.db
      .prepare("insert into meta (key, value) values ('event_source', ?) on conflict (key) do nothing")
      .run(randomBytes(6).toString('hex'));
    return read() as string;
  }

  list(q: EventQuery): ListedEvent[] {
    const where: string[] = ['seq > @after'];
    if (q.platform) where.push('platform = @platform');
    if (q.type) where.push('type = @type');
    if (q.orderId) where.push('order_id = @orderId');
    if (q.refundId) where.push('refund_id = @refundId');
    const rows = this.db.prepare(`select * from events where ${where.join(' and ')} order by seq limit @limit`).all({
      after: q.afterSeq ?? 0,
      platform: q.platform,
      type: q.type,
      orderId: q.orderId,
      refundId: q.refundId,
      limit: q.limit,
    }) as EventRow[];
    const source = this.source();
    return rows.map((r) => ({ ...toEvent(r, source), seq: r.seq, delivered: r.delivered_at !== null }));
  }

  /**
   * Delivers pending events in order; stops at the first sink failure (the event is tried again
   * next time). Returns how many were delivered. Runs one at a time: a call made while a run is in
   * progress gets a run of its own after it, since the run in progress may have read the pending events
   * before the caller's were written.
   */
  dispatch(): Promise<number> {
    if (this.running) {
      this.queued ??= this.running.then(
        () => this.startRun(),
        () => this.startRun(),
      );
      return this.queued;
    }
    return this.startRun();
  }

  private startRun(): Promise<number> {
    this.queued = null;
    this.running = this.deliver().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async deliver(): Promise<number> {
    let delivered = 0;
    for (;;) {
      const now = this.realNow();
      const leased = this.takeLease.run(this.owner, now + 30_000, now, this.owner).changes > 0;
      if (!leased) return delivered;
      const batch = this.pending.all(100);
      if (batch.length === 0) return delivered;
      const source = this.source();
      for (const row of batch) {
        const event = toEvent(row, source);
        for (const sink of this.sinks.get(row.platform) ?? []) await sink(event);
        this.markDelivered.run(this.realNow(), row.seq);
        delivered++;
      }
    }
  }
}

function toEvent(r: EventRow, source: string): UpstreamEvent {
  return {
    eventId: `${source}-${r.seq}`,
    platform: r.platform,
    type: r.type,
    at: r.at,
    orderId: r.order_id,
    refundId: r.refund_id,
    productId: r.product_id,
    data: JSON.parse(r.data) as Record<string, unknown>,
  };
}
