import type { AppDeps } from '../../platform/deps.js';
import { receiveUpstreamEvent } from '../../platform/upstream/inbox.js';
import type { Platform, UpstreamRefund } from '../../providers/types.js';
import { closedStatus, finishedStatus, marketOf } from '../orders/index.js';
import { modeOf } from './platforms.js';
import { orderSnapshotEvents } from './snapshot-events.js';

/**
 * What a lost push misses, pulled (docs/adr/0016-real-upstreams.md): every order part of a real upstream that has
 * not reached its end in Ponte's records, and every part with a refund still open, is read again with its refunds,
 * and the events that bring Ponte's records to what was read go through the inbox, as a push's do. Their ids are
 * derived from the state read, so a push and a pass that saw the same change make one event, and passes of
 * several processes at once record each change once.
 *
 * 1688 also keeps the messages it could not deliver for its message query APIs; reading every unfinished order
 * again finds everything those messages would name (and more: a message 1688 never made), so the pass does not
 * read them.
 */

type Deps = Pick<AppDeps, 'config' | 'database' | 'ids' | 'clock' | 'market' | 'log'>;

/** Whether a platform is served by a real upstream (pushes and the reconciliation apply only then). */
export function isRealUpstream(config: AppDeps['config'], platform: Platform): boolean {
  return modeOf(config, platform) !== 'sandbox';
}

/** A recorded part of an upstream order, with the buyer Ponte placed it for. */
interface KnownPart {
  partId: string;
  upstreamOrderId: string;
  buyerId: string;
  totalFen: number;
}

/** The recorded parts of a platform, with what a re-read needs of each. */
function partsOf(deps: Deps, platform: Platform) {
  return deps.database.db
    .selectFrom('order_parts as p')
    .innerJoin('orders as o', 'o.id', 'p.order_id')
    .select(['p.id as partId', 'p.upstream_order_id as upstreamOrderId', 'o.user_id as buyerId', 'p.total_fen'])
    .where('p.platform', '=', platform);
}

const knownPartOf = (row: { partId: string; upstreamOrderId: string; buyerId: string; total_fen: number }) => ({
  partId: row.partId,
  upstreamOrderId: row.upstreamOrderId,
  buyerId: row.buyerId,
  totalFen: Number(row.total_fen),
});

async function knownPart(deps: Deps, platform: Platform, upstreamOrderId: string): Promise<KnownPart | null> {
  const row = await partsOf(deps, platform).where('p.upstream_order_id', '=', upstreamOrderId).executeTakeFirst();
  return row ? knownPartOf(row) : null;
}

/** What reading one order again did: whether Ponte knows it, and how many new events it recorded. */
export interface RefreshResult {
  known: boolean;
  recorded: number;
}

/**
 * Reads one upstream order again (and its refunds, when Ponte recorded any of it) and records the events that bring
 * Ponte's records to it. An order Ponte did not place is left alone: an order whose create is still being recorded
 * is read by the next pass once it is. Throws what the upstream throws (the caller answers the push so that it
 * comes again).
 */
export async function refreshOrder(
  deps: Deps,
  platform: Platform,
  upstreamOrderId: string,
  opts: { signal?: AbortSignal } = {},
): Promise<RefreshResult> {
  const part = await knownPart(deps, platform, upstreamOrderId);
  if (!part) return { known: false, recorded: 0 };
  return { known: true, recorded: await refreshPart(deps, platform, part, opts) };
}

async function refreshPart(
  deps: Deps,
  platform: Platform,
  part: KnownPart,
  opts: { signal?: AbortSignal },
): Promise<number> {
  const provider = marketOf(deps, platform);
  const callOpts = opts.signal ? { signal: opts.signal } : {};
  const order = await provider.getOrder(part.upstreamOrderId, part.buyerId, callOpts);
  if (!order) return 0;
  // Refunds are read only for parts Ponte asked refunds of: the refunds module ignores any other.
  const hasRefunds = await deps.database.db
    .selectFrom('refunds')
    .select('id')
    .where('part_id', '=', part.partId)
    .where('upstream_refund_id', 'is not', null)
    .limit(1)
    .executeTakeFirst();
  const refunds: UpstreamRefund[] = hasRefunds
    ? await provider.orderRefunds(part.upstreamOrderId, part.buyerId, callOpts)
    : [];
  const events = orderSnapshotEvents(order, refunds, { now: deps.clock.now(), recordedTotalFen: part.totalFen });
  let recorded = 0;
  for (const event of events) {
    if (await receiveUpstreamEvent(deps, event)) recorded++;
  }
  return recorded;
}

/** A refund the seller (or the marketplace's clock) may still decide; the refunds module's open statuses. */
const OPEN_REFUND_STATUSES = [
  'wait_seller_agree',
  'seller_refused',
  'wait_buyer_return',
  'wait_seller_receive',
] as const;
const PAGE = 200;

/** The parts of a platform the upstream may still change, a page at a time (after `afterId`). */
async function openParts(deps: Deps, platform: Platform, afterId: string): Promise<KnownPart[]> {
  const rows = await partsOf(deps, platform)
    .where('p.id', '>', afterId)
    .where((eb) =>
      eb.or([
        eb('p.status', 'not in', [closedStatus(platform), finishedStatus(platform)]),
        eb.exists(
          eb
            .selectFrom('refunds as r')
            .select('r.id')
            .whereRef('r.part_id', '=', 'p.id')
            .where('r.status', 'in', [...OPEN_REFUND_STATUSES])
            .where('r.upstream_refund_id', 'is not', null),
        ),
      ]),
    )
    .orderBy('p.id')
    .limit(PAGE)
    .execute();
  return rows.map(knownPartOf);
}

export interface ReconcileReport {
  platform: Platform;
  read: number;
  recorded: number;
  failed: number;
}

/**
 * One reconciliation pass over every platform served by a real upstream. A part whose read fails is logged and
 * left for the next pass; the others go on.
 */
export async function reconcileOnce(deps: Deps, opts: { signal?: AbortSignal } = {}): Promise<ReconcileReport[]> {
  const reports: ReconcileReport[] = [];
  for (const platform of ['1688', 'taobao'] as const) {
    if (!isRealUpstream(deps.config, platform)) continue;
    const report: ReconcileReport = { platform, read: 0, recorded: 0, failed: 0 };
    let after = '';
    for (;;) {
      const parts = await openParts(deps, platform, after);
      for (const part of parts) {
        if (opts.signal?.aborted) return [...reports, report];
        try {
          report.recorded += await refreshPart(deps, platform, part, opts);
          report.read++;
        } catch (err) {
          report.failed++;
          deps.log.warn({ err, platform, upstreamOrderId: part.upstreamOrderId }, 'reconciliation read failed');
        }
      }
      if (parts.length < PAGE) break;
      after = (parts[parts.length - 1] as KnownPart).partId;
    }
    reports.push(report);
  }
  return reports;
}

/**
 * Runs a reconciliation pass every `config.upstreams.reconcileIntervalMs`, one pass at a time (the next starts the
 * interval after the last ended). Several processes may run it: the inbox keeps each change once. Answers how to
 * stop it, which waits for a pass under way (its reads are aborted).
 */
export function startReconciliation(deps: Deps): () => Promise<void> {
  const platforms = (['1688', 'taobao'] as const).filter((p) => isRealUpstream(deps.config, p));
  if (platforms.length === 0) return async () => {};
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;
  const schedule = () => {
    if (abort.signal.aborted) return;
    timer = setTimeout(run, deps.config.upstreams.reconcileIntervalMs);
    timer.unref();
  };
  const run = () => {
    running = reconcileOnce(deps, { signal: abort.signal })
      .then((reports) => {
        for (const r of reports) if (r.recorded > 0 || r.failed > 0) deps.log.info(r, 'upstream reconciliation');
      })
      .catch((err) => deps.log.warn({ err }, 'upstream reconciliation pass failed'))
      .finally(() => {
        running = null;
        schedule();
      });
  };
  schedule();
  return async () => {
    abort.abort();
    clearTimeout(timer);
    await running;
  };
}
