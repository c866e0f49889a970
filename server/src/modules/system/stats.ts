import { type SelectQueryBuilder, sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { DB, RefundsTable, WarehouseItemStatus } from '../../platform/db/schema.js';

/**
 * The operator's dashboard figures (`GET /admin/stats`): what the tables record per UTC day over the last days, and
 * the queues as they stand. Each daily figure is one grouped read over a day expression both databases compute the
 * same way: the epoch milliseconds divided by a day's, in integers (SQLite divides integers as integers, PostgreSQL
 * bigints as bigints), with the divisor a literal, not a parameter, so that the grouped expression and the selected
 * one are one text.
 */

export const DAY_MS = 86_400_000;

/** The UTC day number (days since 1970-01-01) of an epoch-ms column. */
const dayOf = (column: string) => sql<number>`${sql.ref(column)} / ${sql.lit(DAY_MS)}`;

/** What one day counts; every figure is 0 on a day with nothing. */
export interface DayFigures {
  orders: number;
  orderAmount: number;
  paid: number;
  paidAmount: number;
  refunds: number;
  refundAmount: number;
  topups: number;
  topupAmount: number;
  parcelsShipped: number;
  messagesDelivered: number;
  messagesFailed: number;
}

const FIGURES: readonly (keyof DayFigures)[] = [
  'orders',
  'orderAmount',
  'paid',
  'paidAmount',
  'refunds',
  'refundAmount',
  'topups',
  'topupAmount',
  'parcelsShipped',
  'messagesDelivered',
  'messagesFailed',
];

export const zeroFigures = (): DayFigures => Object.fromEntries(FIGURES.map((f) => [f, 0])) as unknown as DayFigures;

/** The days asked for: `first` to `last` (UTC day numbers), and the developer, if one. */
export interface StatsRange {
  first: number;
  last: number;
  developId: string | undefined;
}

/** One daily figure: the rows it counts, their time column, and what it sums (fen), if anything. */
interface Daily {
  count: keyof DayFigures;
  amount?: keyof DayFigures;
  rows: (db: Executor) => SelectQueryBuilder<DB, keyof DB, object>;
  time: string;
  sum?: string;
}

const DAILY: readonly Daily[] = [
  {
    count: 'orders',
    amount: 'orderAmount',
    rows: (db) => db.selectFrom('orders').where('create_state', '=', 'created'),
    time: 'created_at',
    sum: 'total_fen',
  },
  { count: 'paid', amount: 'paidAmount', rows: (db) => db.selectFrom('orders'), time: 'paid_at', sum: 'paid_fen' },
  {
    count: 'refunds',
    amount: 'refundAmount',
    rows: (db) => db.selectFrom('refunds').where('status', '=', 'success'),
    time: 'completed_at',
    sum: 'credited_fen',
  },
  {
    count: 'topups',
    amount: 'topupAmount',
    rows: (db) => db.selectFrom('topups'),
    time: 'created_at',
    sum: 'amount_fen',
  },
  { count: 'parcelsShipped', rows: (db) => db.selectFrom('shipments'), time: 'shipped_at' },
  {
    count: 'messagesDelivered',
    rows: (db) => db.selectFrom('message_attempts').where('outcome', '=', 'delivered'),
    time: 'attempted_at',
  },
  {
    count: 'messagesFailed',
    rows: (db) => db.selectFrom('message_attempts').where('outcome', '=', 'failed'),
    time: 'attempted_at',
  },
];

/** One figure's rows of the range, counted (and summed) per day. */
function grouped(db: Executor, spec: Daily, from: number, to: number, developId: string | undefined) {
  const day = dayOf(spec.time);
  const time = sql.ref(spec.time);
  const amount = spec.sum ? sql<number>`coalesce(sum(${sql.ref(spec.sum)}), 0)` : sql<number>`0`;
  return spec
    .rows(db)
    .select([day.as('day'), sql<number>`count(*)`.as('n'), amount.as('amount')])
    .where(time, '>=', from)
    .where(time, '<', to)
    .$if(developId !== undefined, (q) => q.where(sql.ref('develop_id'), '=', developId as string))
    .groupBy(day)
    .execute();
}

/**
 * Every day of the range with its figures, oldest first (days with nothing included). The reads run one after
 * another: a dashboard is not worth holding several of the pool's connections.
 */
export async function dailyFigures(db: Executor, range: StatsRange): Promise<{ day: number; figures: DayFigures }[]> {
  const from = range.first * DAY_MS;
  const to = (range.last + 1) * DAY_MS;
  const days = new Map<number, DayFigures>();
  for (let d = range.first; d <= range.last; d++) days.set(d, zeroFigures());
  for (const spec of DAILY) {
    for (const r of await grouped(db, spec, from, to, range.developId)) {
      const figures = days.get(Number(r.day));
      if (!figures) continue;
      figures[spec.count] += Number(r.n);
      if (spec.amount) figures[spec.amount] += Number(r.amount);
    }
  }
  return [...days].map(([day, figures]) => ({ day, figures }));
}

/** Refunds still waiting for the seller, the buyer's return or its receipt. */
const OPEN_REFUND: readonly RefundsTable['status'][] = [
  'wait_seller_agree',
  'seller_refused',
  'wait_buyer_return',
  'wait_seller_receive',
];
/** Goods at the warehouse that are not packed yet. */
const AT_WAREHOUSE: readonly WarehouseItemStatus[] = ['received', 'inspected', 'stored'];

export interface Gauges {
  pendingVouchers: number;
  openRefunds: number;
  warehouseItemsAwaiting: number;
  exceptionsOpen: number | null;
  messagesPending: number;
  deadLetters: number | null;
}

/**
 * The queues now. Warehouse exceptions (parcels that matched nothing) and the outbox's dead rows belong to no
 * developer: null when the figures are a developer's.
 */
export async function currentGauges(db: Executor, developId: string | undefined): Promise<Gauges> {
  const mine = developId;
  const count = async (q: { executeTakeFirstOrThrow(): Promise<{ n: number | string }> }) =>
    Number((await q.executeTakeFirstOrThrow()).n);
  const n = sql<number>`count(*)`.as('n');
  const pendingVouchers = await count(
    db
      .selectFrom('payment_vouchers')
      .select(n)
      .where('status', '=', 'pending')
      .$if(mine !== undefined, (q) => q.where('develop_id', '=', mine as string)),
  );
  const openRefunds = await count(
    db
      .selectFrom('refunds')
      .select(n)
      .where('status', 'in', OPEN_REFUND)
      .$if(mine !== undefined, (q) => q.where('develop_id', '=', mine as string)),
  );
  const warehouseItemsAwaiting = await count(
    db
      .selectFrom('warehouse_items')
      .select(n)
      .where('status', 'in', AT_WAREHOUSE)
      .$if(mine !== undefined, (q) => q.where('develop_id', '=', mine as string)),
  );
  const messagesPending = await count(
    db
      .selectFrom('messages')
      .select(n)
      // A literal, as the delivery worker writes it: the partial index of pending messages (`messages_due`).
      .where(sql<boolean>`delivery = 'pending'`)
      .$if(mine !== undefined, (q) => q.where('develop_id', '=', mine as string)),
  );
  if (mine !== undefined) {
    return {
      pendingVouchers,
      openRefunds,
      warehouseItemsAwaiting,
      exceptionsOpen: null,
      messagesPending,
      deadLetters: null,
    };
  }
  const exceptionsOpen = await count(db.selectFrom('warehouse_exceptions').select(n).where('status', '=', 'open'));
  const deadLetters = await count(db.selectFrom('outbox').select(n).where('status', '=', 'dead'));
  return { pendingVouchers, openRefunds, warehouseItemsAwaiting, exceptionsOpen, messagesPending, deadLetters };
}
