import Sqlite from 'better-sqlite3';
import { sql } from 'kysely';
import { deliveredBody } from '../../src/modules/messages/wire.js';
import { ACCOUNTS } from '../../src/modules/payments/index.js';
import type { Executor } from '../../src/platform/db/database.js';
import { expectLedgerBalanced } from '../ledger.js';
import type { CallbackReceiver } from './callback-receiver.js';

/**
 * The final checks of the crash-safety test (chaos.test.ts), read from the database and the sandbox market's store
 * once every process is up and nothing is left to do. Each check answers the problems it found, one sentence each,
 * naming the request, order, refund, parcel or row concerned: an empty list is a pass.
 */

/**
 * The journal the workload (chaos-workload.ts) keeps: what each request was answered, or that it was only attempted.
 * The checks hold the database to it.
 */
export interface TopupRecord {
  developId: string;
  reference: string;
  amount: number;
  /** Set when the top-up was acknowledged. */
  topupId: string | null;
}

export interface OrderRecord {
  platform: 'taobao' | '1688';
  developId: string;
  /** The create's Idempotency-Key (Ponte's `client_ref` is made of it). */
  key: string;
  /** Set when the create was acknowledged. */
  orderId: string | null;
  /** Set when a payment was acknowledged. */
  paid: boolean;
}

export interface RefundRecord {
  platform: 'taobao' | '1688';
  orderId: string;
  refundId: string;
  /** Set when the seller's agreement (sandbox control API) answered 200. */
  agreed: boolean;
}

export interface ParcelRecord {
  orderId: string;
  itemId: string;
  /** The warehouse steps acknowledged, in order. */
  received: boolean;
  stored: boolean;
  parcelId: string | null;
  packed: boolean;
}

export interface Journal {
  topups: TopupRecord[];
  orders: OrderRecord[];
  refunds: RefundRecord[];
  parcels: ParcelRecord[];
  /** Requests whose final answer was neither 200 nor explained by an earlier attempt: each is a finding. */
  refused: string[];
  /** Requests still unanswered when retries had to stop. */
  unanswered: string[];
}

export const emptyJournal = (): Journal => ({
  topups: [],
  orders: [],
  refunds: [],
  parcels: [],
  refused: [],
  unanswered: [],
});

const LIST = 20;
const n = (v: unknown) => Number(v ?? 0);
/** At most LIST problems of one kind, and how many more there were. */
const capped = (problems: string[]) =>
  problems.length > LIST ? [...problems.slice(0, LIST), `... and ${problems.length - LIST} more`] : problems;

/** Reads the sandbox market's store (its file is shared by the processes, whatever the main database is). */
export function readMarket<T>(file: string, query: string): T[] {
  const store = new Sqlite(file, { readonly: true });
  try {
    return store.prepare(query).all() as T[];
  } finally {
    store.close();
  }
}

/** How much is left to do; all zero once the processes are quiet. */
export async function workLeft(db: Executor, sandboxFile: string): Promise<Record<string, number>> {
  const [market] = readMarket<{ events: number }>(
    sandboxFile,
    'select count(*) as events from events where delivered_at is null',
  );
  const { rows } = await sql<Record<string, unknown>>`
    select (select count(*) from outbox where status = 'pending') as outbox,
           (select count(*) from messages where delivery <> 'delivered') as undelivered,
           (select count(*) from orders where create_state = 'creating' or pay_state = 'paying') as orders,
           (select count(*) from refunds where create_state = 'creating') as refunds`.execute(db);
  return {
    marketEvents: n(market?.events),
    ...Object.fromEntries(Object.entries(rows[0] ?? {}).map(([k, v]) => [k, n(v)])),
  };
}

/** 1. Every acknowledged request's effect is in the database, once. */
export async function acknowledgedEffects(db: Executor, journal: Journal): Promise<string[]> {
  const problems: string[] = [];
  const ledgerKeys = new Set(
    (await db.selectFrom('ledger_transactions').select('idem_key').execute()).map((t) => t.idem_key),
  );
  const topups = await db.selectFrom('topups').select(['id', 'reference', 'amount_fen']).execute();
  for (const t of journal.topups) {
    const rows = topups.filter((r) => r.reference === t.reference);
    if (rows.length > 1) problems.push(`top-up ${t.reference} was credited ${rows.length} times (one Idempotency-Key)`);
    if (!t.topupId) continue;
    const row = rows.find((r) => r.id === t.topupId);
    if (!row || n(row.amount_fen) !== t.amount)
      problems.push(`acknowledged top-up ${t.topupId} (${t.reference}) is missing`);
    else if (!ledgerKeys.has(`topup:${t.topupId}`))
      problems.push(`acknowledged top-up ${t.topupId} has no ledger transaction`);
  }
  const messaged = new Set(
    (await db.selectFrom('messages').select('object_id').distinct().execute()).map((m) => m.object_id),
  );
  problems.push(...(await ordersAndPayments(db, journal, messaged)));
  problems.push(...(await refunds(db, journal, ledgerKeys, messaged)));
  problems.push(...(await parcels(db, journal, ledgerKeys, messaged)));
  return capped(problems);
}

async function ordersAndPayments(db: Executor, journal: Journal, messaged: Set<string>): Promise<string[]> {
  const problems: string[] = [];
  const orders = await db
    .selectFrom('orders')
    .select(['id', 'client_ref', 'create_state', 'pay_state', 'paid_at'])
    .execute();
  const byRef = new Map(orders.map((o) => [o.client_ref, o]));
  const debits = await db
    .selectFrom('ledger_transactions')
    .select(['order_id', 'kind'])
    .where('kind', 'in', ['order_payment', 'payment_reversal'])
    .execute();
  for (const o of journal.orders) {
    if (!o.orderId) continue;
    const row = byRef.get(`${o.platform}:${o.developId}:${o.key}`);
    const name = `acknowledged ${o.platform} order ${o.orderId} (key ${o.key})`;
    if (row?.id !== o.orderId || row.create_state !== 'created') {
      problems.push(`${name} is ${row ? `${row.id} in state ${row.create_state}` : 'missing'}`);
      continue;
    }
    if (!messaged.has(o.orderId)) problems.push(`${name} has no callback message`);
    const pays = debits.filter((d) => d.order_id === o.orderId && d.kind === 'order_payment').length;
    const reversals = debits.filter((d) => d.order_id === o.orderId && d.kind === 'payment_reversal').length;
    if (pays - reversals > 1) problems.push(`${name} was debited ${pays} times (${reversals} given back)`);
    if (o.paid && (row.paid_at === null || pays - reversals !== 1)) {
      problems.push(
        `${name}: its payment was acknowledged, but it is ${row.pay_state} with ${pays} debits, ${reversals} given back`,
      );
    }
  }
  return problems;
}

async function refunds(
  db: Executor,
  journal: Journal,
  ledgerKeys: Set<string>,
  messaged: Set<string>,
): Promise<string[]> {
  const problems: string[] = [];
  const rows = await db
    .selectFrom('refunds')
    .select(['id', 'platform', 'create_state', 'upstream_refund_id', 'status', 'credited_fen', 'amount_fen'])
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const r of journal.refunds) {
    const row = byId.get(r.refundId);
    const name = `acknowledged ${r.platform} refund ${r.refundId} of order ${r.orderId}`;
    if (row?.create_state !== 'created' || !row.upstream_refund_id) {
      problems.push(`${name} is ${row ? `in create state ${row.create_state}` : 'missing'}`);
      continue;
    }
    if (!messaged.has(r.refundId)) problems.push(`${name} has no callback message`);
    if (!r.agreed) continue;
    const key = `refund:${row.platform}:${row.upstream_refund_id}`;
    if (row.status !== 'success' || !ledgerKeys.has(key) || n(row.credited_fen) !== n(row.amount_fen)) {
      problems.push(
        `${name}: the seller's agreement was acknowledged, but it is ${row.status}, credited ${n(row.credited_fen)} of ` +
          `${n(row.amount_fen)} fen, ledger ${key} ${ledgerKeys.has(key) ? 'present' : 'missing'}`,
      );
    }
  }
  return problems;
}

async function parcels(
  db: Executor,
  journal: Journal,
  ledgerKeys: Set<string>,
  messaged: Set<string>,
): Promise<string[]> {
  const problems: string[] = [];
  const items = new Map(
    (await db.selectFrom('warehouse_items').select(['id', 'status', 'shipment_id']).execute()).map((i) => [i.id, i]),
  );
  const shipments = new Map(
    (await db.selectFrom('shipments').select(['id', 'status', 'book_tx', 'settle_tx', 'settled_fen']).execute()).map(
      (s) => [s.id, s],
    ),
  );
  for (const p of journal.parcels) {
    const item = items.get(p.itemId);
    const of = `warehouse item ${p.itemId} (order ${p.orderId})`;
    if (!item) problems.push(`${of} is missing`);
    else if (p.received && item.status === 'expected')
      problems.push(`${of}: its receipt was acknowledged, it is expected`);
    else if (p.stored && !['stored', 'packed', 'shipped'].includes(item.status)) {
      problems.push(`${of}: its inspection was acknowledged, it is ${item.status}`);
    }
    if (!p.parcelId) continue;
    const s = shipments.get(p.parcelId);
    if (!s || !ledgerKeys.has(`freight-book:${p.parcelId}`) || !s.book_tx) {
      problems.push(`acknowledged booking of parcel ${p.parcelId} (${of}) is ${s ? 'not charged' : 'missing'}`);
      continue;
    }
    if (!messaged.has(p.parcelId))
      problems.push(`acknowledged booking of parcel ${p.parcelId} has no callback message`);
    if (p.packed) {
      const settled =
        n(s.settled_fen) === 0 || (s.settle_tx !== null && ledgerKeys.has(`freight-settle:${p.parcelId}`));
      if (s.status !== 'packed' || item?.status !== 'packed' || item.shipment_id !== p.parcelId || !settled) {
        problems.push(
          `parcel ${p.parcelId}: its packing was acknowledged, it is ${s.status} (settled ${n(s.settled_fen)} fen, ` +
            `transaction ${s.settle_tx}), ${of} is ${item?.status} in parcel ${item?.shipment_id}`,
        );
      }
    }
  }
  return problems;
}

/** 2. The ledger balances: entries sum to 0, each account's balance is the sum of its entries. */
export async function ledgerBalanced(db: Executor): Promise<string[]> {
  try {
    await expectLedgerBalanced(db);
    return [];
  } catch (err) {
    return [`the ledger does not balance: ${(err as Error).message}`];
  }
}

/**
 * 3. The money of each order agrees with the marketplace: what the ledger debited for it (payments less reversals)
 * is what the marketplace was paid for its parts, and what came back (refunds, closes after payment) is what the
 * marketplace gave back: the refunds of its lines, and the rest of the payment of a part it closed for another
 * reason. No order is paid upstream that Ponte does not know.
 */
export async function moneyAgreesUpstream(db: Executor, sandboxFile: string): Promise<string[]> {
  const problems: string[] = [];
  const market = new Map(
    readMarket<{ order_id: string; paid: number; returned: number }>(
      sandboxFile,
      `select order_id, case when paid_at is null then 0 else total_fen end as paid,
         case when paid_at is not null and status = 'closed' and close_reason <> 'refunded in full' then total_fen
              else refunded end as returned
       from (select o.*, (select coalesce(sum(l.refunded_fen), 0) from order_lines l where l.order_id = o.order_id)
               as refunded from orders o)`,
    ).map((o) => [o.order_id, o]),
  );
  const parts = await db.selectFrom('order_parts').select(['order_id', 'upstream_order_id', 'platform']).execute();
  const moved = await db
    .selectFrom('ledger_transactions as t')
    .innerJoin('ledger_entries as e', 'e.transaction_id', 't.id')
    .select(['t.order_id', 't.kind', (eb) => eb.fn.sum<number>('e.amount_fen').as('fen')])
    .where('e.account', '=', ACCOUNTS.upstreamClearing)
    .where('t.order_id', 'is not', null)
    .groupBy(['t.order_id', 't.kind'])
    .execute();
  const ledgerOf = (orderId: string, kinds: string[]) =>
    moved.filter((m) => m.order_id === orderId && kinds.includes(m.kind)).reduce((s, m) => s + n(m.fen), 0);
  for (const orderId of new Set(parts.map((p) => p.order_id))) {
    const own = parts.filter((p) => p.order_id === orderId);
    const where = `${own[0]?.platform} order ${orderId} (upstream ${own.map((p) => p.upstream_order_id).join(', ')})`;
    const upstream = own.map((p) => market.get(p.upstream_order_id));
    if (upstream.some((o) => !o)) problems.push(`${where}: the marketplace has no such order`);
    const paid = upstream.reduce((s, o) => s + n(o?.paid), 0);
    const returned = upstream.reduce((s, o) => s + n(o?.returned), 0);
    const debited = ledgerOf(orderId, ['order_payment', 'payment_reversal']);
    const credited = -ledgerOf(orderId, ['refund', 'order_refund']);
    if (paid !== debited)
      problems.push(`${where}: paid upstream ${paid} fen, debited ${debited} fen (net of reversals)`);
    if (returned !== credited) {
      problems.push(`${where}: given back upstream ${returned} fen, credited back ${credited} fen in the ledger`);
    }
  }
  const known = new Set(parts.map((p) => p.upstream_order_id));
  for (const [id, o] of market) {
    if (n(o.paid) > 0 && !known.has(id))
      problems.push(`upstream order ${id} is paid (${o.paid} fen), Ponte has no order of it`);
  }
  return capped(problems);
}

/** 4a. Nothing left behind: no dead or stuck outbox row, no create or payment in mid-air, no unhandled event. */
export async function nothingLeftBehind(db: Executor, now: number): Promise<string[]> {
  const problems: string[] = [];
  const outbox = await db
    .selectFrom('outbox')
    .select(['id', 'event_type', 'status', 'attempts', 'lease_owner', 'lease_until', 'available_at', 'last_error'])
    .where('status', '<>', 'done')
    .execute();
  for (const r of outbox) {
    const lease =
      r.lease_until === null ? 'not leased' : `leased to ${r.lease_owner} until ${n(r.lease_until) - now} ms from now`;
    problems.push(
      `outbox row ${r.id} (${r.event_type}) is ${r.status} after ${r.attempts} attempts, ${lease}, due ` +
        `${n(r.available_at) - now} ms from now${r.last_error ? `: ${r.last_error.slice(0, 200)}` : ''}`,
    );
  }
  const stuck = await db
    .selectFrom('orders')
    .select(['id', 'platform', 'create_state', 'pay_state'])
    .where((eb) => eb.or([eb('create_state', '=', 'creating'), eb('pay_state', '=', 'paying')]))
    .execute();
  for (const o of stuck) problems.push(`${o.platform} order ${o.id} is still ${o.create_state}, ${o.pay_state}`);
  const refundsCreating = await db
    .selectFrom('refunds')
    .select(['id'])
    .where('create_state', '=', 'creating')
    .execute();
  for (const r of refundsCreating) problems.push(`refund ${r.id} is still creating`);
  const unhandled = await db
    .selectFrom('upstream_inbox')
    .select(['platform', 'event_id', 'event_type'])
    .where('handled_at', 'is', null)
    .execute();
  for (const e of unhandled)
    problems.push(`upstream event ${e.platform}/${e.event_id} (${e.event_type}) was never handled`);
  return capped(problems);
}

/**
 * 4b. Every message is delivered (or pending with a next attempt), and every delivered one reached the receiver
 * with a valid signature and its own body each time; the receiver got nothing else, and never one id twice at once.
 */
export async function callbacksDelivered(db: Executor, receiver: CallbackReceiver): Promise<string[]> {
  const problems: string[] = [];
  const rows = await db
    .selectFrom('messages')
    .select([
      'id',
      'message_type',
      'message_platform',
      'body',
      'created_at',
      'version',
      'object_id',
      'delivery',
      'next_attempt_at',
    ])
    .execute();
  for (const r of rows) {
    const name = `message ${r.id} (${r.message_type} about ${r.object_id})`;
    if (r.delivery !== 'delivered') {
      if (r.delivery !== 'pending' || r.next_attempt_at === null) problems.push(`${name} is ${r.delivery}`);
      continue;
    }
    const got = receiver.receipts.get(r.id);
    if (!got) problems.push(`${name} is marked delivered but never reached the receiver`);
    else if (got.bodies.size !== 1 || !got.bodies.has(deliveredBody(r))) {
      problems.push(`${name} reached the receiver with another body: ${[...got.bodies].join(' | ').slice(0, 300)}`);
    }
  }
  const ids = new Set(rows.map((r) => r.id));
  for (const id of receiver.receipts.keys())
    if (!ids.has(id)) problems.push(`the receiver got message ${id}, which is not in the database`);
  problems.push(...receiver.problems.map((p) => `the receiver: ${p}`));
  return capped(problems);
}
