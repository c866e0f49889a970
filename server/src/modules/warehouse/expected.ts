import type { AuthContext } from '../../platform/auth/credentials.js';
import type { Executor } from '../../platform/db/database.js';
import type { AppDeps } from '../../platform/deps.js';
import { invalidParameter } from '../../platform/http/errors.js';
import type { UpstreamEvent } from '../../providers/types.js';
import { findOwnOrder, type LineRow, type OrderRow, type Platform } from '../orders/index.js';
import { insertExpectedItem, type NewItem, type WarehouseItemRow } from './items.repo.js';
import { writeItemMessage } from './messages.js';
import { storedTitle } from './warehouse.schemas.js';

type Deps = Pick<AppDeps, 'ids' | 'clock' | 'database' | 'changes' | 'files' | 'config'>;

/** The dedupe key of a Ponte order line in one domestic parcel: the seller's report and W3 name it the same. */
export const lineKey = (lineId: string, trackingNo: string) => `line:${lineId}:${trackingNo}`;

/**
 * What the warehouse does when a marketplace reports a seller's action (docs/adr/0015): on `order.shipped`, every
 * line of that seller's part with a domestic tracking number becomes one `expected` item, with its message. It runs
 * after the orders module's handler, in the inbox's transaction, so the lines already carry the tracking number; a
 * redelivered event finds the items it made (by their dedupe key) and writes nothing.
 */
export async function onWarehouseEvent(db: Executor, deps: AppDeps, event: UpstreamEvent): Promise<void> {
  if (event.type !== 'order.shipped' || !event.orderId) return;
  const part = await db
    .selectFrom('order_parts')
    .selectAll()
    .where('platform', '=', event.platform)
    .where('upstream_order_id', '=', event.orderId)
    .executeTakeFirst();
  if (!part) return;
  const order = await db.selectFrom('orders').selectAll().where('id', '=', part.order_id).executeTakeFirstOrThrow();
  const lines = await db
    .selectFrom('order_lines')
    .selectAll()
    .where('part_id', '=', part.id)
    .where('tracking_no', 'is not', null)
    .orderBy('position')
    .execute();
  const at = deps.clock.now();
  for (const line of lines) {
    const trackingNo = (line.tracking_no ?? '').trim();
    if (trackingNo === '') continue;
    await expectLine(db, deps, order, line, {
      trackingNo,
      carrier: line.carrier_name || null,
      quantity: Number(line.quantity),
      externalOrderId: null,
      cause: 'upstream:order.shipped',
      detail: `event ${event.eventId}`,
      at,
    });
  }
}

interface Expectation {
  trackingNo: string;
  carrier: string | null;
  quantity: number;
  externalOrderId: string | null;
  cause: string;
  detail: string | null;
  at: number;
}

/** One line of a Ponte order expected in one domestic parcel (with its message when new). */
async function expectLine(
  db: Executor,
  deps: Deps,
  order: OrderRow,
  line: LineRow,
  e: Expectation,
): Promise<{ item: WarehouseItemRow; created: boolean }> {
  const item: NewItem = {
    develop_id: order.develop_id,
    user_id: order.user_id,
    dedupe_key: lineKey(line.id, e.trackingNo),
    source: 'order',
    platform: order.platform,
    order_id: order.id,
    line_id: line.id,
    external_order_id: e.externalOrderId,
    product_id: line.product_id,
    sku_id: line.sku_id,
    title: line.title,
    image_url: line.image_url,
    quantity: e.quantity,
    tracking_no: e.trackingNo,
    carrier: e.carrier,
  };
  return record(db, deps, item, e);
}

async function record(db: Executor, deps: Deps, item: NewItem, e: Expectation) {
  const result = await insertExpectedItem(db, deps, item, e.cause, e.at, e.detail);
  if (result.created) await writeItemMessage(db, deps, result.item, 'expected');
  return result;
}

// -- W3 ----------------------------------------------------------------------------------------------

export interface W3LineItem {
  itemId: string;
  skuId?: string | null | undefined;
  quantity?: number | null | undefined;
  title?: string | null | undefined;
  imageUrl?: string | null | undefined;
}

export interface W3Input {
  orderId?: string | null | undefined;
  tmallOrderId?: string | null | undefined;
  logisticInfos: {
    lineItem: W3LineItem;
    logisticNumer?: string | null | undefined;
    domesticLogisticInfo: { logisticNumer: string; logisticCompanyName?: string | null | undefined }[];
  }[];
}

/** The caller's Ponte order an id names (either marketplace), or null when it names none of theirs. */
async function ownOrderOf(db: Executor, auth: AuthContext, orderId: string): Promise<OrderRow | null> {
  for (const platform of ['taobao', '1688'] as Platform[]) {
    const order = await findOwnOrder(db, auth, platform, orderId);
    if (order) return order;
  }
  return null;
}

/** The order line a W3 line names: the same item and SKU (an item without SKUs, or a W3 line without one, by item). */
function lineOf(lines: LineRow[], li: W3LineItem): LineRow | null {
  const sku = li.skuId?.trim() || null;
  const sameItem = lines.filter((l) => l.product_id === li.itemId.trim());
  if (sku !== null) return sameItem.find((l) => (l.sku_id ?? '') === sku) ?? null;
  return sameItem.length === 1 ? (sameItem[0] ?? null) : null;
}

/**
 * W3 (docs/adr/0015): the developer's own domestic tracking numbers per line, each one an `expected` item. When
 * `orderId` names one of the caller's Ponte orders, each line must be one of its lines (by item and SKU) and the items
 * are that line's (the same dedupe key as the seller's report: telling Ponte a number the seller reported changes
 * nothing); any other `orderId` (goods bought outside Ponte) gives items of the caller's own. Repeating the call
 * finds what it recorded. Answers every item the request names, new or not, and how many are new.
 */
export async function recordW3(
  db: Executor,
  deps: Deps,
  auth: AuthContext,
  input: W3Input,
): Promise<{ orderId: string | null; items: WarehouseItemRow[]; created: number }> {
  const orderRef = input.orderId?.trim() || input.tmallOrderId?.trim() || '';
  if (orderRef === '') throw invalidParameter('orderId', 'warehouseW3OrderRef');
  const order = input.orderId?.trim() ? await ownOrderOf(db, auth, input.orderId.trim()) : null;
  const lines = order
    ? await db.selectFrom('order_lines').selectAll().where('order_id', '=', order.id).orderBy('position').execute()
    : [];
  // Every line is checked before anything is written: a request is recorded whole or not at all.
  const plan = input.logisticInfos.map((info, i) => {
    const field = `logisticInfos[${i}]`;
    const line = order ? lineOf(lines, info.lineItem) : null;
    if (order && !line) {
      throw invalidParameter(`${field}.lineItem`, 'warehouseW3NotALine', {
        itemId: info.lineItem.itemId,
        skuId: info.lineItem.skuId ?? '',
        orderId: order.id,
      });
    }
    if (info.domesticLogisticInfo.length === 0) {
      throw invalidParameter(`${field}.domesticLogisticInfo`, 'warehouseW3NoTracking');
    }
    const numbers = info.domesticLogisticInfo.map((d, j) => {
      const trackingNo = d.logisticNumer.trim();
      if (!/^[A-Za-z0-9-]{4,64}$/.test(trackingNo)) {
        throw invalidParameter(`${field}.domesticLogisticInfo[${j}].logisticNumer`, 'warehouseTrackingNo');
      }
      return { trackingNo, carrier: d.logisticCompanyName?.trim() || null };
    });
    return { info, line, numbers };
  });

  const at = deps.clock.now();
  const items: WarehouseItemRow[] = [];
  let created = 0;
  for (const { info, line, numbers } of plan) {
    const li = info.lineItem;
    const detail = info.logisticNumer?.trim() ? `warehouse no. ${info.logisticNumer.trim()}` : null;
    for (const n of numbers) {
      const e: Expectation = {
        trackingNo: n.trackingNo,
        carrier: n.carrier,
        quantity: li.quantity ?? (line ? Number(line.quantity) : 1),
        externalOrderId: order ? input.tmallOrderId?.trim() || null : orderRef,
        cause: 'api:w3',
        detail,
        at,
      };
      const result =
        order && line
          ? await expectLine(db, deps, order, line, e)
          : await record(
              db,
              deps,
              {
                develop_id: auth.developId,
                user_id: auth.userId,
                dedupe_key: `w3:${auth.developId}:${orderRef}:${li.itemId.trim()}:${li.skuId?.trim() ?? ''}:${n.trackingNo}`,
                source: 'developer',
                platform: null,
                order_id: null,
                line_id: null,
                external_order_id: orderRef,
                product_id: li.itemId.trim(),
                sku_id: li.skuId?.trim() || null,
                title: storedTitle(li.title?.trim() ?? ''),
                image_url: li.imageUrl?.trim() ?? '',
                quantity: e.quantity,
                tracking_no: n.trackingNo,
                carrier: n.carrier,
              },
              e,
            );
      items.push(result.item);
      if (result.created) created++;
    }
  }
  return { orderId: order?.id ?? null, items, created };
}
