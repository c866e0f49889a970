import type { Config } from '../../config.js';
import type { AppDeps } from '../../platform/deps.js';
import type { Language } from '../../platform/http/i18n.js';
import { EpochMs, Id, Int, type Static, Text, type TSchema, Type } from '../../platform/http/schema.js';
import { OpaqueId } from '../../platform/http/v2/annotations.js';
import type { Localized } from '../../providers/types.js';
import {
  jsonList,
  type WarehouseExceptionRow,
  type WarehouseItemHistoryRow,
  type WarehouseItemRow,
} from './items.repo.js';
import { ITEM_CONDITIONS, ITEM_STATUSES } from './items.states.js';
import { storageOf } from './storage.js';

/**
 * The warehouse's objects as developers and the operator read them, and as the callback messages carry them
 * (docs/adr/0015). Amounts are fen, weights grams, sizes centimetres, times epoch milliseconds.
 */

const Nullable = <T extends TSchema>(schema: T, description: string) =>
  Type.Union([schema, Type.Null()], { description });
const Str = (description: string, example?: string) =>
  Type.String({ description, ...(example === undefined ? {} : { examples: [example] }) });
const Fen = (description: string, example: number) => Int(`${description} (fen)`, 0, Number.MAX_SAFE_INTEGER, example);

/** What an inspection may find in the goods, in the words of the freight channels' refused goods. */
export const GOODS_ATTRIBUTES = ['battery', 'liquid', 'powder', 'food', 'brand'] as const;

export const ItemId = (description: string) =>
  Type.String({ description, pattern: '^WI[0-9]{1,20}$', maxLength: 22, examples: ['WI1796214365581049856'] });
export const ExceptionId = (description: string) =>
  Type.String({ description, pattern: '^WX[0-9]{1,20}$', maxLength: 22, examples: ['WX1796214365581049857'] });

export const ItemStatus = Type.Enum([...ITEM_STATUSES], {
  description:
    'Where the goods are: `expected` (the seller shipped, or you told us by W3), `received` (the domestic parcel ' +
    'arrived), `inspected`, `stored` (on the shelf, ready to pack), `packed` (in an international parcel), ' +
    '`shipped`; `exception` (unmatched, damaged, wrong or short: the operator decides), `returned` (sent back)',
  examples: ['stored'],
});

export const ItemCondition = Type.Enum([...ITEM_CONDITIONS], {
  description: 'What inspection found: `ok`, `damaged`, `wrong_item` (not what was ordered), `short` (fewer units)',
  examples: ['ok'],
});

export const GoodsAttribute = Type.Enum([...GOODS_ATTRIBUTES], {
  description: 'Goods that carriers restrict: `battery`, `liquid`, `powder`, `food`, `brand`',
  examples: ['battery'],
});

const Storage = Type.Object(
  {
    days: Int('Started days since receipt (until packing once packed)', 0, 1_000_000, 35),
    freeDays: Int('Days free of charge after receipt', 0, 1_000_000, 30),
    feePerDay: Fen('Fee per day past the free days', 50),
    chargeableDays: Int('Days past the free ones', 0, 1_000_000, 5),
    feeSoFar: Fen('The fee for those days: what packing charges (or charged) to your balance', 250),
    charged: Type.Boolean({ description: 'Whether the fee was charged (at packing)' }),
  },
  { description: 'Storage days and fee, as of the answer (docs/adr/0015)' },
);

const Size = Type.Object(
  {
    lengthCm: Int('Length (cm)', 0, 10_000, 30),
    widthCm: Int('Width (cm)', 0, 10_000, 20),
    heightCm: Int('Height (cm)', 0, 10_000, 10),
  },
  { description: 'Size as measured at inspection' },
);

const itemFields = {
  itemId: ItemId('Ponte’s id of the warehouse item (`WI…`)'),
  status: ItemStatus,
  source: Type.Union([Type.Literal('order'), Type.Literal('developer')], {
    description: '`order`: a line of a Ponte order the seller shipped; `developer`: goods you declared by W3',
    examples: ['order'],
  }),
  platform: Nullable(
    Type.Union([Type.Literal('taobao'), Type.Literal('1688')], { description: 'Marketplace' }),
    'The marketplace of the order; null for goods you declared',
  ),
  orderId: OpaqueId('order', Nullable(Id('Order'), 'Ponte’s order id; null for goods bought outside Ponte')),
  lineId: OpaqueId(
    'order-line',
    Nullable(Id('Order line'), 'Ponte’s order line id (Taobao `purchaseOrderLineId`, 1688 `subItemID`)'),
  ),
  externalOrderId: Nullable(
    Str('Your reference', '12345667'),
    'Your own order reference given by W3 (`tmallOrderId`, or `orderId` for goods bought outside Ponte)',
  ),
  // The marketplace's ids (the order's, as `platform` says, or as declared by W3), on v2 too: not opaque ids.
  productId: Str(
    'Item id on the marketplace (Taobao item, 1688 offer; W3 `itemId`), its own on v2 too (not an opaque id)',
    '2048020617114736',
  ),
  skuId: Nullable(
    Str('SKU id', '413185732720'),
    'SKU id on the marketplace (Taobao SKU, 1688 specification), its own on v2 too; null when none',
  ),
  title: Str('Title, Chinese original (as given for declared goods)', '英皇保罗男士长款银行皮夹钱包'),
  titleTrans: Str('Title in the requested language (callback messages: English)', 'Emperor Paul men’s long wallet'),
  imageUrl: Str('Picture'),
  quantity: Int('Units expected', 1, 1_000_000, 1),
  quantityReceived: Nullable(Int('Units', 0, 1_000_000, 1), 'Units found at inspection; null until inspected'),
  condition: Nullable(ItemCondition, 'What inspection found; null until inspected'),
  trackingNo: Str('Domestic tracking number of the parcel it comes in', 'SF1234521212678'),
  carrier: Nullable(Str('Domestic carrier', '顺丰'), 'Domestic carrier, when known'),
  photos: Type.Array(Str('A signed link to an inspection photo'), {
    description: 'Inspection photos: signed links, valid for the configured time from the answer (or the message)',
  }),
  weightG: Nullable(Int('Weight (g)', 0, 1_000_000, 850), 'Weight as measured at inspection; null until then'),
  size: Nullable(Size, 'Size as measured at inspection; null until then'),
  attributes: Nullable(
    Type.Array(GoodsAttribute, { description: 'Goods attributes found' }),
    'Goods attributes found at inspection (what is in the box overrides the catalog’s guess); null until then',
  ),
  note: Nullable(Str('Note'), 'The operator’s note of the last inspection, exception or return'),
  storage: Storage,
  refundId: Nullable(Str('Refund id', '1796214365581049856'), 'The refund the warehouse asked for this line, if any'),
  parcelId: Nullable(Str('Parcel id', 'PP1796214365581049860'), 'The international parcel it is packed in, if any'),
  version: Int('Raised by every change (the callback messages carry it)', 1, 2_147_483_647, 1),
  createTime: EpochMs('When it was first expected'),
  updateTime: EpochMs('Last change'),
  receiveTime: Nullable(EpochMs('Received'), 'When the domestic parcel arrived; null until then'),
  inspectTime: Nullable(EpochMs('Inspected'), 'When it was inspected; null until then'),
  packTime: Nullable(EpochMs('Packed'), 'When it was packed into a parcel; null until then'),
  shipTime: Nullable(EpochMs('Shipped'), 'When its parcel left the warehouse; null until then'),
};

export const WarehouseItem = Type.Object(itemFields, {
  description: 'Goods of one order line in one domestic parcel, from expected at the warehouse to shipped abroad',
});

export const HistoryRow = Type.Object({
  from: Nullable(Text('Status before', 16, 'received'), 'The status before (null when first expected)'),
  to: Text('Status after', 16, 'stored'),
  cause: Text(
    'What moved it: `upstream:order.shipped`, `api:w3`, `admin:receipt`, `admin:match`, `admin:inspect`, ' +
      '`admin:return`, `admin:pack`, `admin:ship`',
    40,
    'admin:inspect',
  ),
  detail: Nullable(Str('Detail'), 'What else is known: the parcel, the exception, the refund, …'),
  time: EpochMs('When'),
});

export const WarehouseItemDetail = Type.Object(
  { ...itemFields, history: Type.Array(HistoryRow, { description: 'Every change, oldest first' }) },
  { description: 'A warehouse item with its history' },
);

const adminFields = {
  developId: Id('The developer'),
  userId: Id('The sub-account it belongs to'),
  storageTransactionId: Nullable(Id('Ledger transaction'), 'The ledger transaction of its storage fee, once charged'),
};

export const AdminWarehouseItem = Type.Object(
  { ...itemFields, ...adminFields },
  { description: 'A warehouse item, as the operator sees it' },
);

export const AdminWarehouseItemDetail = Type.Object(
  { ...itemFields, ...adminFields, history: Type.Array(HistoryRow, { description: 'Every change, oldest first' }) },
  { description: 'A warehouse item with its history, as the operator sees it' },
);

export const WarehouseException = Type.Object(
  {
    exceptionId: ExceptionId('Ponte’s id of the exception (`WX…`)'),
    trackingNo: Str('The domestic tracking number received', 'YT9988776655'),
    carrier: Nullable(Str('Carrier'), 'The carrier given at receipt'),
    status: Type.Union([Type.Literal('open'), Type.Literal('matched'), Type.Literal('returned')], {
      description: '`open` until the operator matches it to expected items or records it returned',
      examples: ['open'],
    }),
    note: Nullable(Str('Note'), 'The note given at receipt'),
    resolution: Nullable(Str('Resolution'), 'How it was resolved: `match`, or `return` with the note'),
    itemIds: Type.Array(ItemId('Item'), { description: 'The items it was matched to' }),
    createTime: EpochMs('When the parcel was received'),
    resolveTime: Nullable(EpochMs('Resolved'), 'When it was resolved; null while open'),
  },
  { description: 'A domestic parcel received that matched no expected goods' },
);

export type WarehouseItemData = Static<typeof WarehouseItem>;
type Links = Pick<AppDeps, 'files' | 'clock' | 'config'>;

/** The photos' signed links, valid for the configured lifetime from now (on a whole second, as links carry it). */
export function photoUrls(deps: Links, keys: string[]): string[] {
  const expiresAt = (Math.floor(deps.clock.now() / 1000) + deps.config.files.urlTtlSeconds) * 1000;
  return keys.map((key) => deps.files.signedUrl(key, expiresAt));
}

function localizedTitle(text: string): Localized {
  try {
    const value = JSON.parse(text) as Partial<Localized> | string;
    if (typeof value === 'string') return { zh: value, en: value, vi: value, th: value, es: value };
    const zh = value.zh ?? value.en ?? '';
    return { zh, en: value.en ?? zh, vi: value.vi ?? zh, th: value.th ?? zh, es: value.es ?? zh };
  } catch {
    return { zh: text, en: text, vi: text, th: text, es: text };
  }
}

/** A title kept as the warehouse stores it: JSON in every language (a declared title is the same in each). */
export const storedTitle = (title: string): string =>
  JSON.stringify({ zh: title, en: title, vi: title, th: title, es: title });

const time = (v: number | null) => (v === null ? null : Number(v));

function storageView(item: WarehouseItemRow, now: number, config: Config['warehouse']) {
  const s = storageOf(item, now, config);
  const charged = item.storage_tx !== null;
  return {
    days: s.days,
    freeDays: config.freeDays,
    feePerDay: config.feePerDayFen,
    chargeableDays: s.chargeableDays,
    feeSoFar: charged ? Number(item.storage_fee_fen) : s.feeFen,
    charged,
  };
}

export function toWarehouseItem(deps: Links, item: WarehouseItemRow, lang: Language): WarehouseItemData {
  const title = localizedTitle(item.title);
  const measured = item.length_cm !== null && item.width_cm !== null && item.height_cm !== null;
  return {
    itemId: item.id,
    status: item.status,
    source: item.source,
    platform: item.platform,
    orderId: item.order_id,
    lineId: item.line_id,
    externalOrderId: item.external_order_id,
    productId: item.product_id,
    skuId: item.sku_id,
    title: title.zh,
    titleTrans: title[lang] || title.zh,
    imageUrl: item.image_url,
    quantity: Number(item.quantity),
    quantityReceived: item.quantity_received === null ? null : Number(item.quantity_received),
    condition: item.condition,
    trackingNo: item.tracking_no,
    carrier: item.carrier,
    photos: photoUrls(deps, jsonList(item.photos)),
    weightG: item.weight_g === null ? null : Number(item.weight_g),
    size: measured
      ? { lengthCm: Number(item.length_cm), widthCm: Number(item.width_cm), heightCm: Number(item.height_cm) }
      : null,
    attributes: item.attributes === null ? null : (jsonList(item.attributes) as WarehouseItemData['attributes']),
    note: item.note,
    storage: storageView(item, deps.clock.now(), deps.config.warehouse),
    refundId: item.refund_id,
    parcelId: item.shipment_id,
    version: Number(item.version),
    createTime: Number(item.created_at),
    updateTime: Number(item.updated_at),
    receiveTime: time(item.received_at),
    inspectTime: time(item.inspected_at),
    packTime: time(item.packed_at),
    shipTime: time(item.shipped_at),
  };
}

export function toAdminWarehouseItem(deps: Links, item: WarehouseItemRow, lang: Language) {
  return {
    ...toWarehouseItem(deps, item, lang),
    developId: item.develop_id,
    userId: item.user_id,
    storageTransactionId: item.storage_tx,
  };
}

export function toHistory(rows: WarehouseItemHistoryRow[]) {
  return rows.map((h) => ({
    from: h.from_status,
    to: h.to_status,
    cause: h.cause,
    detail: h.detail,
    time: Number(h.at),
  }));
}

export function toWarehouseException(x: WarehouseExceptionRow) {
  return {
    exceptionId: x.id,
    trackingNo: x.tracking_no,
    carrier: x.carrier,
    status: x.status,
    note: x.note,
    resolution: x.resolution,
    itemIds: jsonList(x.item_ids),
    createTime: Number(x.created_at),
    resolveTime: time(x.resolved_at),
  };
}
