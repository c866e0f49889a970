import type { Executor } from '../../platform/db/database.js';
import { EpochMs, Int, type Static, Text, type TSchema, Type } from '../../platform/http/schema.js';
import {
  FreightInfo,
  GOODS_ITEM_ID,
  GOODS_SKU_ID,
  GoodsItemId,
  GoodsSkuId,
  ReceiverAddress,
} from './freight.schemas.js';
import { GOODS_ATTRIBUTES } from './quote.js';
import {
  bookedChannel,
  bookedLines,
  historiesOf,
  itemIdsOf,
  type ShipmentHistoryRow,
  type ShipmentRow,
  shipmentReceiver,
} from './shipments.repo.js';
import { SHIPMENT_STATUSES } from './shipments.states.js';

/**
 * An international parcel as the developer reads it (`/open/pp/logistics/parcels`), as the operator reads it (the
 * same with the developer and the hold reason), and as its callback messages carry it (the same with the event).
 */

const MAX_FEN = Number.MAX_SAFE_INTEGER;
const Fen = (description: string, example: number) => Int(`${description} (fen)`, 0, MAX_FEN, example);
const Nullable = <T extends TSchema>(schema: T, description: string) =>
  Type.Union([schema, Type.Null()], { description });
const Time = (description: string) => Nullable(EpochMs(description), `${description} (epoch ms); null until then`);
const Cm = (description: string, example: number) => Int(`${description} (cm)`, 0, 100_000, example);
const Grams = (description: string, example: number) => Int(`${description} (g)`, 0, 1_000_000_000, example);

export const ParcelId = (description: string) =>
  Type.String({ description, pattern: '^PP[0-9]{1,20}$', maxLength: 22, examples: ['PP1796481939554000001'] });

export const ParcelStatus = Type.Enum([...SHIPMENT_STATUSES], {
  description:
    '`booked` (the estimate charged), `packed` (weighed and settled at the warehouse), `shipped`, `delivered`, or ' +
    '`cancelled` (before packing; the estimate refunded)',
  examples: ['booked'],
});

const Attributes = Type.Array(Type.Enum([...GOODS_ATTRIBUTES]), {
  description: 'What carriers care about in the goods: `battery`, `liquid`, `powder`, `food`, `brand`',
});

const ParcelLine = Type.Object(
  {
    itemId: GoodsItemId(Type.String({ description: GOODS_ITEM_ID, examples: ['2048020617114736'] })),
    skuId: GoodsSkuId(Type.String({ description: GOODS_SKU_ID, examples: ['413185732720'] })),
    quantity: Int('Units', 1, 10_000, 1),
    title: Type.String({ description: 'Title (as booked, else the product’s)' }),
    imageUrl: Type.String({ description: 'Picture (as booked, else the SKU’s)' }),
    currency: Nullable(Type.String(), 'Currency of `price`, as sent; null when none was'),
    price: Nullable(Type.String(), 'Unit price as sent (kept for the record); null when none was'),
    attributes: Attributes,
    estimate: Fen('The line’s freight on the channel, as the preview quoted it', 17_700),
    chargeableWeightG: Grams('The weight the line was quoted on', 720),
  },
  { description: 'A booked line' },
);

const Settlement = Type.Object(
  {
    amount: Int(
      'The actual freight less the estimate (fen): positive was charged, negative refunded',
      -MAX_FEN,
      MAX_FEN,
    ),
    direction: Type.Union([Type.Literal('charge'), Type.Literal('refund'), Type.Literal('none')], {
      description: '`charge` (the gap taken from the balance), `refund` (the surplus paid back) or `none` (equal)',
    }),
  },
  { description: 'The settlement at packing' },
);

const Measured = Type.Object(
  {
    weightG: Grams('Weight as packed', 1_240),
    lengthCm: Cm('Length', 40),
    widthCm: Cm('Width', 30),
    heightCm: Cm('Height', 20),
    volumetricWeightG: Grams('Length × width × height / the channel’s divisor', 4_800),
    chargeableWeightG: Grams('The larger of the two', 4_800),
  },
  { description: 'The parcel as the warehouse packed it' },
);

const HistoryEntry = Type.Object({
  fromStatus: Nullable(Type.String(), 'Status before; null for the booking'),
  toStatus: Type.String({ description: 'Status after' }),
  cause: Type.String({
    description: 'What moved it: `api:book`, `api:cancel`, `admin:pack`, `admin:ship`, `admin:deliver`, `admin:cancel`',
  }),
  detail: Nullable(Type.String(), 'More about it; null when nothing'),
  time: EpochMs('When (epoch ms)'),
});

/** The fields of a parcel, shared by the developer's, the operator's and the messages' shapes. */
const PARCEL_FIELDS = {
  parcelId: ParcelId('The parcel'),
  renderId: Text('The preview it was booked from (W2)', 64, 'FF202408021796481939554000001'),
  status: ParcelStatus,
  channel: Type.Object(
    {
      freightInfo: FreightInfo,
      sample: Type.Boolean({ description: 'True for Ponte’s sample rates, not a forwarder’s real price' }),
      transitDays: Type.Object({ min: Int('Fewest days', 0, 365, 5), max: Int('Most days', 0, 365, 10) }),
    },
    { description: 'The channel as booked' },
  ),
  receiverAddress: ReceiverAddress,
  tmallOrderId: Nullable(Type.String(), 'Your order reference (`tmallOrderInfo.tmallOrderId`); null when none'),
  remark: Nullable(Type.String(), 'Your note; null when none'),
  lines: Type.Array(ParcelLine, { description: 'The booked lines' }),
  currency: Type.Literal('CNY', { description: 'Currency of the amounts' }),
  estimate: Fen('Freight charged at booking: the sum of the lines’ quotes', 17_700),
  actual: Nullable(Fen('Freight of the parcel as packed', 19_800), 'Freight as packed (fen); null until packed'),
  settlement: Nullable(Settlement, 'The settlement at packing; null until packed'),
  storageFee: Fen('Storage fees charged at packing for the goods', 0),
  measured: Nullable(Measured, 'The parcel as packed; null until packed'),
  carrier: Nullable(Type.String(), 'The international carrier; null until shipped'),
  trackingNo: Nullable(Type.String(), 'The international tracking number; null until shipped'),
  itemIds: Type.Array(Type.String(), { description: 'The warehouse items packed into it (`WI…`)' }),
  transactions: Type.Object(
    {
      booking: Nullable(Type.String(), 'The estimate’s charge'),
      settlement: Nullable(Type.String(), 'The settlement; null until packed, or when nothing was owed'),
      cancellation: Nullable(Type.String(), 'The estimate’s refund at cancellation'),
    },
    { description: 'The ledger transactions of the parcel (see `/open/account/ledger`)' },
  ),
  version: Int('Raised by every change (the callback messages carry it)', 0, 2_147_483_647, 1),
  createTime: EpochMs('Booked (epoch ms)'),
  updateTime: EpochMs('Last change (epoch ms)'),
  packTime: Time('Packed'),
  shipTime: Time('Shipped'),
  deliverTime: Time('Delivered'),
  cancelTime: Time('Cancelled'),
  history: Type.Array(HistoryEntry, { description: 'Every change, oldest first' }),
};

export const Parcel = Type.Object(PARCEL_FIELDS, { description: 'An international parcel' });

export const AdminShipment = Type.Object(
  {
    ...PARCEL_FIELDS,
    developId: Type.String({ description: 'The developer' }),
    userId: Type.String({ description: 'The sub-account that booked it' }),
    holdReason: Nullable(Type.String(), 'Why the last pack request was refused (balance, channel limits); null after'),
  },
  { description: 'An international parcel, as the operator sees it' },
);

/** A parcel message's `event`: the status its change reached, the message type's last word. */
export const PARCEL_MESSAGE_EVENTS = ['booked', 'packed', 'shipped', 'delivered', 'cancelled'] as const;

export const ParcelMessageBody = Type.Object(
  {
    event: Type.Enum([...PARCEL_MESSAGE_EVENTS], {
      description: 'What happened, the message type’s last word: `booked`, `packed`, `shipped`, …',
      examples: ['packed'],
    }),
    ...PARCEL_FIELDS,
  },
  { title: 'ParcelMessageBody', description: 'The parcel as `/open/pp/logistics/parcels/{parcelId}` answers it' },
);

export type ParcelData = Static<typeof Parcel>;
export type AdminShipmentData = Static<typeof AdminShipment>;

const num = (v: number | null): number | null => (v === null ? null : Number(v));

export function toParcel(row: ShipmentRow, history: ShipmentHistoryRow[], itemIds: string[]): ParcelData {
  const channel = bookedChannel(row);
  const settled = num(row.settled_fen);
  const measured =
    row.weight_g === null
      ? null
      : {
          weightG: Number(row.weight_g),
          lengthCm: Number(row.length_cm),
          widthCm: Number(row.width_cm),
          heightCm: Number(row.height_cm),
          volumetricWeightG: Number(row.volumetric_weight_g),
          chargeableWeightG: Number(row.chargeable_weight_g),
        };
  return {
    parcelId: row.id,
    renderId: row.render_id,
    status: row.status,
    channel: {
      freightInfo: { serviceId: channel.id, companyName: channel.name, serviceCategory: channel.category },
      sample: channel.sample,
      transitDays: channel.transitDays,
    },
    receiverAddress: shipmentReceiver(row),
    tmallOrderId: row.external_order_id,
    remark: row.remark,
    lines: bookedLines(row).map((l) => ({
      itemId: l.itemId,
      skuId: l.skuId,
      quantity: l.quantity,
      title: l.title,
      imageUrl: l.imageUrl,
      currency: l.currency,
      price: l.price,
      attributes: l.attributes,
      estimate: l.estimateFen,
      chargeableWeightG: l.chargeableWeightG,
    })),
    currency: 'CNY',
    estimate: Number(row.estimate_fen),
    actual: num(row.actual_fen),
    settlement:
      settled === null
        ? null
        : { amount: settled, direction: settled > 0 ? 'charge' : settled < 0 ? 'refund' : 'none' },
    storageFee: Number(row.storage_fee_fen),
    measured,
    carrier: row.carrier,
    trackingNo: row.tracking_no,
    itemIds,
    transactions: { booking: row.book_tx, settlement: row.settle_tx, cancellation: row.cancel_tx },
    version: Number(row.version),
    createTime: Number(row.created_at),
    updateTime: Number(row.updated_at),
    packTime: num(row.packed_at),
    shipTime: num(row.shipped_at),
    deliverTime: num(row.delivered_at),
    cancelTime: num(row.cancelled_at),
    history: history.map((h) => ({
      fromStatus: h.from_status,
      toStatus: h.to_status,
      cause: h.cause,
      detail: h.detail,
      time: Number(h.at),
    })),
  };
}

export function toAdminShipment(row: ShipmentRow, history: ShipmentHistoryRow[], itemIds: string[]): AdminShipmentData {
  return {
    ...toParcel(row, history, itemIds),
    developId: row.develop_id,
    userId: row.user_id,
    holdReason: row.hold_reason,
  };
}

/** Several shipments' views in three queries (lists). */
export async function loadParcels(db: Executor, rows: ShipmentRow[]): Promise<ParcelData[]> {
  const ids = rows.map((r) => r.id);
  const [histories, items] = await Promise.all([historiesOf(db, ids), itemIdsOf(db, ids)]);
  return rows.map((r) => toParcel(r, histories.get(r.id) ?? [], items.get(r.id) ?? []));
}

export async function loadAdminShipments(db: Executor, rows: ShipmentRow[]): Promise<AdminShipmentData[]> {
  const ids = rows.map((r) => r.id);
  const [histories, items] = await Promise.all([historiesOf(db, ids), itemIdsOf(db, ids)]);
  return rows.map((r) => toAdminShipment(r, histories.get(r.id) ?? [], items.get(r.id) ?? []));
}
