import type { Executor } from '../../platform/db/database.js';
import type { AppDeps } from '../../platform/deps.js';
import { ApiError, invalidParameter, notFound } from '../../platform/http/errors.js';
import { phrase } from '../../platform/http/reasons.js';
import { ACCOUNTS, postTransaction } from '../payments/index.js';
import { itemsByIds, packItems, type WarehouseItemRow } from '../warehouse/index.js';
import { toChannelQuote } from './freight.schemas.js';
import { freightSettleKey } from './ledger-keys.js';
import { writeParcelMessage } from './messages.js';
import { GOODS_ATTRIBUTES, type GoodsAttribute, type QuoteRefusal, quote } from './quote.js';
import {
  type BookedLine,
  bookedChannel,
  bookedLines,
  lockShipment,
  moveShipment,
  type ShipmentRow,
  shipmentStateConflict,
} from './shipments.repo.js';

type Deps = Pick<AppDeps, 'ids' | 'clock' | 'database' | 'changes' | 'config'>;

/** What the warehouse measured of the parcel, and the items it put in it. */
export interface PackInput {
  itemIds: string[];
  weightG: number;
  lengthCm: number;
  widthCm: number;
  heightCm: number;
}

/** The field a channel's refusal is about. */
const REFUSAL_FIELD: Record<QuoteRefusal['reason'], string> = {
  overweight: 'weightG',
  over_length: 'lengthCm',
  over_girth: 'lengthCm',
  refused_goods: 'itemIds',
};

/**
 * The goods attributes of the parcel: each item's as the warehouse found them at inspection, else what the preview
 * read from the product (docs/adr/0015: what is in the box wins).
 */
function attributesOf(items: WarehouseItemRow[], lineOf: Map<string, BookedLine>): GoodsAttribute[] {
  const found = new Set<GoodsAttribute>();
  for (const item of items) {
    const inspected = item.attributes === null ? null : (JSON.parse(item.attributes) as GoodsAttribute[]);
    for (const a of inspected ?? lineOf.get(item.id)?.attributes ?? []) found.add(a);
  }
  return GOODS_ATTRIBUTES.filter((a) => found.has(a));
}

/**
 * The items asked for, each the developer's, named once, of one of the booking's lines (the same item and SKU), and
 * `stored`; with the line each one is of.
 */
async function itemsToPack(
  db: Executor,
  shipment: ShipmentRow,
  itemIds: string[],
): Promise<{ items: WarehouseItemRow[]; lineOf: Map<string, BookedLine> }> {
  const seen = new Set<string>();
  for (const [i, id] of itemIds.entries()) {
    if (seen.has(id)) throw invalidParameter(`itemIds[${i}]`, 'parcelItemTwice', { id });
    seen.add(id);
  }
  const rows = await itemsByIds(db, shipment.develop_id, itemIds);
  const lines = bookedLines(shipment);
  const items: WarehouseItemRow[] = [];
  const lineOf = new Map<string, BookedLine>();
  for (const [i, id] of itemIds.entries()) {
    const item = rows.find((r) => r.id === id);
    if (!item) throw invalidParameter(`itemIds[${i}]`, 'parcelItemUnknown', { id });
    const line = lines.find((l) => l.itemId === item.product_id && l.skuId === item.sku_id);
    if (!line) {
      throw invalidParameter(`itemIds[${i}]`, 'parcelItemNotBooked', {
        id,
        itemId: item.product_id,
        skuId: item.sku_id ?? '',
      });
    }
    items.push(item);
    lineOf.set(item.id, line);
  }
  for (const item of items) {
    if (item.status !== 'stored') {
      throw new ApiError(40901, { reason: phrase('parcelItemNotStored', { id: item.id, status: item.status }) });
    }
  }
  return { items, lineOf };
}

/**
 * Packs a booked parcel (docs/adr/0015) in one transaction with the shipment's row locked: the parcel is quoted on
 * the channel as booked with the attributes of its goods, the difference with the estimate is settled under
 * `freight-settle:{shipmentId}` (the gap charged to the balance, the surplus refunded to it; nothing when equal), the
 * goods' storage fees charged and the items packed (the warehouse's `packItems`), the shipment `packed`, with its
 * message; `answer` runs last, in that transaction. The status moves `booked → packed` once: a repeated or
 * concurrent request finds it packed and answers 40901, and the ledger key makes the money move once whatever
 * happens. When the channel refuses the parcel (40001) or the balance does not cover the gap or the fees (42201),
 * nothing is packed and the reason is recorded on the shipment (`hold_reason`), after the rollback.
 */
export async function packShipment(
  deps: Deps,
  shipmentId: string,
  input: PackInput,
  answer: (trx: Executor, shipmentId: string) => Promise<void>,
): Promise<void> {
  // Why this request would be refused, kept for the operator: the channel's refusal, or what the balance falls short of.
  const why: { refused: string | null; short: string | null } = { refused: null, short: null };
  try {
    await deps.database.transaction(async (trx) => {
      const shipment = await lockShipment(trx, deps, shipmentId);
      if (!shipment) throw notFound('parcel', shipmentId);
      if (shipment.status !== 'booked') throw shipmentStateConflict(shipment.status, 'packed');
      const { items, lineOf } = await itemsToPack(trx, shipment, input.itemIds);
      const channel = bookedChannel(shipment);
      const spec = {
        weightG: input.weightG,
        lengthCm: input.lengthCm,
        widthCm: input.widthCm,
        heightCm: input.heightCm,
        attributes: attributesOf(items, lineOf),
      };
      const result = quote(channel, spec);
      if (!result.ok) {
        const detail = toChannelQuote(channel, result, spec.weightG).reason?.detail ?? result.refusal.reason;
        why.refused = `the channel ${channel.id} does not carry the parcel: ${detail}`;
        throw invalidParameter(REFUSAL_FIELD[result.refusal.reason], 'parcelRefused', {
          serviceId: channel.id,
          detail,
        });
      }
      const now = deps.clock.now();
      const actual = result.quote.freightFen;
      const estimate = Number(shipment.estimate_fen);
      const settled = actual - estimate;
      let settleTx: string | null = null;
      if (settled !== 0) {
        why.short = `the balance does not cover the freight gap of ${settled} fen`;
        const balance = ACCOUNTS.balance(shipment.develop_id);
        const posted = await postTransaction(
          trx,
          deps,
          {
            idemKey: freightSettleKey(shipment.id),
            kind: 'freight_settle',
            developId: shipment.develop_id,
            memo:
              settled > 0
                ? `parcel ${shipment.id} weighed: the gap over its estimate charged (${actual} - ${estimate} fen)`
                : `parcel ${shipment.id} weighed: the surplus over its freight refunded (${estimate} - ${actual} fen)`,
            entries: [
              { account: balance, amountFen: -settled },
              { account: ACCOUNTS.freightClearing, amountFen: settled },
            ],
          },
          { savepoint: false },
        );
        settleTx = posted.transactionId;
      }
      why.short = 'the balance does not cover the storage fees of the goods';
      const { storageFeeFen } = await packItems(trx, deps, items, shipment.id, now);
      why.short = null;
      await moveShipment(trx, deps, shipment, 'packed', {
        cause: 'admin:pack',
        detail: `actual ${actual} fen, settled ${settled} fen, storage ${storageFeeFen} fen`,
        at: now,
        changes: {
          actual_fen: actual,
          settled_fen: settled,
          storage_fee_fen: storageFeeFen,
          weight_g: input.weightG,
          length_cm: input.lengthCm,
          width_cm: input.widthCm,
          height_cm: input.heightCm,
          volumetric_weight_g: result.quote.volumetricWeightG,
          chargeable_weight_g: result.quote.chargeableWeightG,
          settle_tx: settleTx,
          hold_reason: null,
          packed_at: now,
        },
      });
      await writeParcelMessage(trx, deps, shipment.id);
      await answer(trx, shipment.id);
    });
  } catch (err) {
    const reason = err instanceof ApiError && err.code === 42201 ? why.short : why.refused;
    if (reason !== null) {
      // The pack's transaction rolled back; the reason is kept for the operator in a write of its own.
      await deps.database.db
        .updateTable('shipments')
        .set({ hold_reason: reason })
        .where('id', '=', shipmentId)
        .where('status', '=', 'booked')
        .execute();
    }
    throw err;
  }
}
