import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import type { AuthContext } from '../../platform/auth/credentials.js';
import type { Executor } from '../../platform/db/database.js';
import type { RefundHistoryTable, RefundsTable } from '../../platform/db/schema.js';
import type { AppDeps } from '../../platform/deps.js';
import type { LineRow, OrderRow, PartRow, Platform } from '../orders/index.js';
import { OPEN_STATUSES } from './refunds.states.js';

export type RefundRow = Selectable<RefundsTable>;
export type RefundHistoryRow = Selectable<RefundHistoryTable>;

/** A refund with the order line, seller part and order it belongs to: what views and messages are built from. */
export interface RefundAggregate {
  refund: RefundRow;
  line: LineRow;
  part: PartRow;
  order: OrderRow;
}

/** A line the caller may ask a refund for, with its part and order (as `findOwnOrder`: null when not theirs). */
export async function findOwnLine(
  db: Executor,
  auth: AuthContext,
  platform: Platform,
  lineId: string,
): Promise<{ line: LineRow; part: PartRow; order: OrderRow } | null> {
  if (!/^[0-9]{1,20}$/.test(lineId)) return null;
  const line = await db.selectFrom('order_lines').selectAll().where('id', '=', lineId).executeTakeFirst();
  if (!line) return null;
  const order = await db
    .selectFrom('orders')
    .selectAll()
    .where('id', '=', line.order_id)
    .where('platform', '=', platform)
    .where('develop_id', '=', auth.developId)
    .where('create_state', '=', 'created')
    .executeTakeFirst();
  if (!order || (!auth.isMainAccount && order.user_id !== auth.userId)) return null;
  const part = await db.selectFrom('order_parts').selectAll().where('id', '=', line.part_id).executeTakeFirstOrThrow();
  return { line, part, order };
}

/**
 * A refund the caller may see: its developer's, and for a sub-account only its own; created ones only. Anything
 * else is null, the same for an unknown id and another developer's (the caller answers 40401).
 */
export async function findOwnRefund(
  db: Executor,
  auth: AuthContext,
  platform: Platform,
  refundId: string,
): Promise<RefundRow | null> {
  if (!/^(TQ)?[0-9]{1,20}$/.test(refundId)) return null;
  let query = db
    .selectFrom('refunds')
    .selectAll()
    .where('id', '=', refundId)
    .where('platform', '=', platform)
    .where('develop_id', '=', auth.developId)
    .where('create_state', '=', 'created');
  if (!auth.isMainAccount) query = query.where('user_id', '=', auth.userId);
  return (await query.executeTakeFirst()) ?? null;
}

export async function refundById(db: Executor, refundId: string): Promise<RefundRow | null> {
  return (await db.selectFrom('refunds').selectAll().where('id', '=', refundId).executeTakeFirst()) ?? null;
}

export async function refundByUpstreamId(
  db: Executor,
  platform: Platform,
  upstreamRefundId: string,
): Promise<RefundRow | null> {
  return (
    (await db
      .selectFrom('refunds')
      .selectAll()
      .where('platform', '=', platform)
      .where('upstream_refund_id', '=', upstreamRefundId)
      .executeTakeFirst()) ?? null
  );
}

/** Whether a refund create of the platform is still settling (through the partial index `refunds_creating`). */
export async function refundCreateSettling(db: Executor, platform: Platform): Promise<boolean> {
  const row = await db
    .selectFrom('refunds')
    .select('id')
    // A literal: the planner proves the partial index from the query's text.
    .where(sql<boolean>`create_state = 'creating'`)
    .where('platform', '=', platform)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function loadRefundAggregate(db: Executor, refund: RefundRow): Promise<RefundAggregate> {
  const [line, part, order] = await Promise.all([
    db.selectFrom('order_lines').selectAll().where('id', '=', refund.line_id).executeTakeFirstOrThrow(),
    db.selectFrom('order_parts').selectAll().where('id', '=', refund.part_id).executeTakeFirstOrThrow(),
    db.selectFrom('orders').selectAll().where('id', '=', refund.order_id).executeTakeFirstOrThrow(),
  ]);
  return { refund, line, part, order };
}

/** Several refunds' aggregates in four queries (lists). */
export async function loadRefundAggregates(db: Executor, refunds: RefundRow[]): Promise<RefundAggregate[]> {
  if (refunds.length === 0) return [];
  const lineIds = [...new Set(refunds.map((r) => r.line_id))];
  const partIds = [...new Set(refunds.map((r) => r.part_id))];
  const orderIds = [...new Set(refunds.map((r) => r.order_id))];
  const [lines, parts, orders] = await Promise.all([
    db.selectFrom('order_lines').selectAll().where('id', 'in', lineIds).execute(),
    db.selectFrom('order_parts').selectAll().where('id', 'in', partIds).execute(),
    db.selectFrom('orders').selectAll().where('id', 'in', orderIds).execute(),
  ]);
  const byId = <T extends { id: string }>(rows: T[]) => new Map(rows.map((r) => [r.id, r]));
  const [l, p, o] = [byId(lines), byId(parts), byId(orders)];
  return refunds.map((refund) => ({
    refund,
    line: l.get(refund.line_id) as LineRow,
    part: p.get(refund.part_id) as PartRow,
    order: o.get(refund.order_id) as OrderRow,
  }));
}

export async function historyOf(db: Executor, refundId: string): Promise<RefundHistoryRow[]> {
  return db.selectFrom('refund_history').selectAll().where('refund_id', '=', refundId).orderBy('id').execute();
}

export async function insertRefundHistory(
  db: Executor,
  deps: Pick<AppDeps, 'ids' | 'clock'>,
  row: Omit<RefundHistoryRow, 'id'>,
): Promise<void> {
  await db
    .insertInto('refund_history')
    .values({ id: deps.ids.next(deps.clock.now()), ...row })
    .execute();
}

/**
 * What a line has left to give back: its amount less what was credited for it (`leftOnLine`), within what its
 * seller's part was paid less what was credited on the part (`leftOnPart`); and whether that part is paid at all.
 */
export async function roomOnLine(
  db: Executor,
  lineId: string,
): Promise<{ line: LineRow; paid: boolean; leftOnLine: number; leftOnPart: number }> {
  const line = await db.selectFrom('order_lines').selectAll().where('id', '=', lineId).executeTakeFirstOrThrow();
  const part = await db.selectFrom('order_parts').selectAll().where('id', '=', line.part_id).executeTakeFirstOrThrow();
  const lines = await db.selectFrom('order_lines').select('refunded_fen').where('part_id', '=', part.id).execute();
  const credited = lines.reduce((n, l) => n + Number(l.refunded_fen), 0);
  return {
    line,
    paid: part.pay_state === 'paid',
    leftOnLine: Number(line.amount_fen) - Number(line.refunded_fen),
    leftOnPart: Number(part.paid_fen) - credited,
  };
}

/** The amounts of a line's refunds that are open or settling: what a new refund must leave room for. */
export async function openRefundsOfLine(db: Executor, lineId: string): Promise<RefundRow[]> {
  return db
    .selectFrom('refunds')
    .selectAll()
    .where('line_id', '=', lineId)
    .where((eb) => eb.or([eb('create_state', '=', 'creating'), eb('status', 'in', [...OPEN_STATUSES])]))
    .execute();
}
