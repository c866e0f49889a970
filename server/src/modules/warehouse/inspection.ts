import type { AuthContext } from '../../platform/auth/credentials.js';
import type { Executor, Tx } from '../../platform/db/database.js';
import type { AppDeps } from '../../platform/deps.js';
import { putByContent } from '../../platform/files/file-store.js';
import { EVIDENCE_PICTURE_MAX_BYTES, readEvidencePicture } from '../../platform/files/pictures.js';
import { invalidParameter, notFound } from '../../platform/http/errors.js';
import { MarketRejection } from '../../providers/errors.js';
import type { RefundReason, RefundType } from '../../providers/types.js';
import { marketOf } from '../orders/index.js';
import { createRefund, refundableOf, refusalError } from '../refunds/index.js';
import { itemById, itemStateConflict, lockItem, moveItem, type WarehouseItemRow } from './items.repo.js';
import type { ItemCondition } from './items.states.js';
import { writeItemMessage } from './messages.js';

/** At most this many photos to one inspection. */
export const INSPECTION_MAX_PHOTOS = 6;

/** An inspection's body holds up to that many photos of 1 MB each, in base64. */
export const inspectionBodyLimit = (config: AppDeps['config']) =>
  Math.max(config.bodyLimit, Math.ceil((INSPECTION_MAX_PHOTOS * EVIDENCE_PICTURE_MAX_BYTES * 4) / 3) + 262_144);

export interface InspectionInput {
  quantityReceived: number;
  condition: ItemCondition;
  photos?: string[] | undefined;
  weightG?: number | undefined;
  lengthCm?: number | undefined;
  widthCm?: number | undefined;
  heightCm?: number | undefined;
  attributes?: string[] | undefined;
  note?: string | undefined;
  refund?: { reasonId?: string | undefined; description?: string | undefined; amount?: number | undefined } | undefined;
}

/** The refund request's field names, as the inspection's body names them. */
const REFUND_FIELDS = {
  line: 'refund',
  refundType: 'refund',
  goodsStatus: 'refund',
  reasonId: 'refund.reasonId',
  amount: 'refund.amount',
};

/** Where an item's inspection photos are kept, named by content: `warehouse/{developId}/{sha256}.{ext}`. */
const photoPrefix = (developId: string) => `warehouse/${developId}`;

/**
 * Records an inspection of a `received` item (docs/adr/0015): photos (checked by content, stored by content),
 * quantity and condition, weight and size as measured, the goods attributes found. `ok` → `inspected` → `stored`
 * with a WAREHOUSE_ITEM_INSPECTED message; anything else → `exception` with a WAREHOUSE_ITEM_EXCEPTION message.
 * `refund` asks the marketplace to refund the line first (the refunds module's create, goods at the warehouse), so
 * that a refusal leaves the item as it was; its id is recorded on the item. A retry finds the same refund.
 */
export async function inspectItem(
  deps: AppDeps,
  itemId: string,
  input: InspectionInput,
  /** Runs in the transaction that records the inspection (the route stores its answer there). */
  onRecorded?: (trx: Tx, item: WarehouseItemRow) => Promise<void>,
): Promise<WarehouseItemRow> {
  const item = await itemById(deps.database.db, itemId);
  if (!item) throw notFound('warehouseItem', itemId);
  if (item.status !== 'received') throw itemStateConflict(item, input.condition === 'ok' ? 'stored' : 'exception');
  checkInput(item, input);

  const keys: string[] = [];
  for (const [i, photo] of (input.photos ?? []).entries()) {
    const picture = await readEvidencePicture(photo, `photos[${i}]`);
    const key = await putByContent(
      deps.files,
      photoPrefix(item.develop_id),
      picture.bytes,
      picture.contentType,
      picture.ext,
    );
    if (!keys.includes(key)) keys.push(key);
  }

  const refundId = input.refund ? await startRefund(deps, item, input, keys) : null;

  return deps.database.transaction(async (trx) => {
    const current = await lockItem(trx, deps, item.id);
    if (!current) throw notFound('warehouseItem', itemId);
    // Another inspection landed meanwhile: this one changes nothing (a refund it asked for is the same one, by key).
    if (current.status !== 'received')
      throw itemStateConflict(current, input.condition === 'ok' ? 'stored' : 'exception');
    const at = deps.clock.now();
    const measured = {
      quantity_received: input.quantityReceived,
      condition: input.condition,
      photos: JSON.stringify(keys),
      weight_g: input.weightG ?? null,
      length_cm: input.lengthCm ?? null,
      width_cm: input.widthCm ?? null,
      height_cm: input.heightCm ?? null,
      attributes: input.attributes ? JSON.stringify([...new Set(input.attributes)]) : null,
      note: input.note?.trim() || null,
      inspected_at: at,
      ...(refundId ? { refund_id: refundId } : {}),
    };
    if (input.condition === 'ok') {
      const inspected = await moveItem(trx, deps, current, 'inspected', {
        cause: 'admin:inspect',
        detail: `${input.quantityReceived} of ${current.quantity} unit(s), ok`,
        at,
        changes: measured,
      });
      const stored = await moveItem(trx, deps, inspected, 'stored', { cause: 'admin:inspect', at });
      await writeItemMessage(trx, deps, stored, 'inspected');
      await onRecorded?.(trx, stored);
      return stored;
    }
    const detail = `${input.quantityReceived} of ${current.quantity} unit(s), ${input.condition}${
      refundId ? `; refund ${refundId}` : ''
    }`;
    const moved = await moveItem(trx, deps, current, 'exception', {
      cause: 'admin:inspect',
      detail,
      at,
      changes: measured,
    });
    await writeItemMessage(trx, deps, moved, 'exception');
    await onRecorded?.(trx, moved);
    return moved;
  });
}

/** What the body says that the schema cannot check: before anything is stored or asked. */
function checkInput(item: WarehouseItemRow, input: InspectionInput): void {
  if ((input.photos ?? []).length > INSPECTION_MAX_PHOTOS) {
    throw invalidParameter('photos', 'atMostPictures', { max: INSPECTION_MAX_PHOTOS });
  }
  const sizes = [input.lengthCm, input.widthCm, input.heightCm].filter((v) => v !== undefined).length;
  if (sizes !== 0 && sizes !== 3) {
    const missing = input.lengthCm === undefined ? 'lengthCm' : input.widthCm === undefined ? 'widthCm' : 'heightCm';
    throw invalidParameter(missing, 'warehouseSizeWhole');
  }
  if (input.condition === 'ok' && input.quantityReceived < Number(item.quantity)) {
    throw invalidParameter('condition', 'warehouseShortNotOk', {
      received: input.quantityReceived,
      quantity: Number(item.quantity),
    });
  }
  if (input.refund && input.condition === 'ok') throw invalidParameter('refund', 'warehouseRefundNotOk');
  if (input.refund && (item.source !== 'order' || !item.line_id || !item.platform)) {
    throw invalidParameter('refund', 'warehouseRefundNoLine');
  }
}

/** Keywords of the marketplace's reasons that fit each finding, in its (Chinese) words, the closest first. */
const REASON_WORDS: Record<Exclude<ItemCondition, 'ok'>, RegExp[]> = {
  damaged: [/质量|破损|损坏/],
  wrong_item: [/发错|错发/, /不符/],
  short: [/少件|漏发|缺件/],
};

/** The reason the marketplace offers that fits the finding: by its words, else the first asking for proof. */
export function reasonFor(reasons: RefundReason[], condition: Exclude<ItemCondition, 'ok'>): RefundReason | null {
  for (const words of REASON_WORDS[condition]) {
    const found = reasons.find((r) => words.test(r.text.zh));
    if (found) return found;
  }
  return reasons.find((r) => r.needsProof) ?? reasons[0] ?? null;
}

/**
 * Asks the marketplace to refund the item's order line (the refunds module's marketplace-first create): goods at the
 * warehouse; damaged or wrong goods go back (`return_refund`, when the marketplace allows it), missing units are
 * refunded in money only, in proportion (what is left of the line, times the units missing). The reason is the body's
 * or the marketplace's reason that fits the finding. The key `warehouse-inspect:{itemId}` makes a retry find the same
 * refund. Answers the refund's id.
 */
async function startRefund(
  deps: AppDeps,
  item: WarehouseItemRow,
  input: InspectionInput,
  photoKeys: string[],
): Promise<string> {
  const condition = input.condition as Exclude<ItemCondition, 'ok'>;
  const platform = item.platform as 'taobao' | '1688';
  const lineId = item.line_id as string;
  const db = deps.database.db;
  const line = await db.selectFrom('order_lines').selectAll().where('id', '=', lineId).executeTakeFirstOrThrow();
  const part = await db.selectFrom('order_parts').selectAll().where('id', '=', line.part_id).executeTakeFirstOrThrow();
  const order = await db.selectFrom('orders').selectAll().where('id', '=', line.order_id).executeTakeFirstOrThrow();
  let reasonId = input.refund?.reasonId?.trim() || null;
  let refundType: RefundType = condition === 'short' ? 'refund' : 'return_refund';
  try {
    const options = await marketOf(deps, platform).refundOptions(
      part.upstream_order_id,
      line.upstream_line_id,
      order.user_id,
    );
    if (!options.refundTypes.includes(refundType)) refundType = 'refund';
    if (reasonId === null) reasonId = reasonFor(options.reasons, condition)?.reasonId ?? null;
  } catch (err) {
    if (err instanceof MarketRejection) throw refusalError(err, REFUND_FIELDS);
    throw err;
  }
  if (reasonId === null) throw invalidParameter('refund.reasonId', 'warehouseRefundNoReason');
  const left = await refundableOf(db, lineId);
  const missing = Math.max(0, Number(item.quantity) - input.quantityReceived);
  const proportional =
    condition === 'short' && missing > 0 ? Math.floor((left * missing) / Number(item.quantity)) : left;
  const amountFen = input.refund?.amount ?? Math.max(1, proportional);
  const description = (
    input.refund?.description?.trim() ||
    `Warehouse inspection: ${condition.replace('_', ' ')}, ${input.quantityReceived} of ${item.quantity} received` +
      (input.note?.trim() ? `. ${input.note.trim()}` : '')
  ).slice(0, 150);
  const actor: AuthContext = { developId: item.develop_id, userId: order.user_id, accessKey: '', isMainAccount: true };
  const agg = await createRefund(deps, actor, {
    platform,
    lineId,
    refundType,
    goodsStatus: 'at_warehouse',
    reasonId,
    amountFen,
    carriageFen: 0,
    description: description.length >= 2 ? description : `${description}  `,
    imageKeys: photoKeys,
    request: condition === 'short' ? { counts: { [lineId]: missing } } : {},
    idempotencyKey: `warehouse-inspect:${item.id}`,
    fields: REFUND_FIELDS,
  });
  return agg.refund.id;
}

/** An item in exception sent back to its seller (`returned`), with its message, in the caller's transaction. */
export async function returnItem(
  db: Executor,
  deps: AppDeps,
  itemId: string,
  note: string | undefined,
): Promise<WarehouseItemRow> {
  const item = await lockItem(db, deps, itemId);
  if (!item) throw notFound('warehouseItem', itemId);
  if (item.status !== 'exception') throw itemStateConflict(item, 'returned');
  const moved = await moveItem(db, deps, item, 'returned', {
    cause: 'admin:return',
    detail: note?.trim() || null,
    at: deps.clock.now(),
    changes: { note: note?.trim() || item.note },
  });
  await writeItemMessage(db, deps, moved, 'returned');
  return moved;
}
