import type { Static } from '../../platform/http/schema.js';
import { kind } from '../messages/message-kind.js';
import { ParcelMessageBody } from './parcel-view.js';

/** The international parcels' callback messages (docs/adr/0015): one kind per change of a parcel. */
export const PARCEL_BODY_SCHEMAS = { ParcelMessageBody } as const;

type Body = Static<typeof ParcelMessageBody>;

// -- An example parcel, through its life (sample rates, as a sandbox order's goods produce it) -----------------------

const BOOKED = 1796481939554;
const PACKED = BOOKED + 9 * 86_400_000;
const SHIPPED = PACKED + 86_400_000;
const DELIVERED = SHIPPED + 8 * 86_400_000;
const CANCELLED = BOOKED + 3_600_000;

const history = (steps: [string | null, string, string, string | null, number][]): Body['history'] =>
  steps.map(([fromStatus, toStatus, cause, detail, time]) => ({ fromStatus, toStatus, cause, detail, time }));

const BOOKING: Body = {
  event: 'booked',
  parcelId: 'PP1796481939554000001',
  renderId: 'FF202612011796481921000000001',
  status: 'booked',
  channel: {
    freightInfo: { serviceId: '1', companyName: 'Sample Express US', serviceCategory: 'express' },
    sample: true,
    transitDays: { min: 5, max: 10 },
  },
  receiverAddress: {
    country: 'US',
    state: 'California',
    city: 'VALLEY VLG',
    zip: '91607',
    address: '5818 WHITSETT AVE 401',
    name: 'Ofir Birinbaum',
    phone: '5083326888',
    mobilePhone: '5083326888',
    email: 'buyer@example.com',
  },
  tmallOrderId: '123123444',
  remark: null,
  lines: [
    {
      itemId: '600126245031041190',
      skuId: '5016042822039',
      quantity: 2,
      title: '纯棉短袖T恤',
      imageUrl: 'https://ponte.example.com/sandbox/images/600126245031041190.jpg',
      currency: 'CNY',
      price: '68.00',
      attributes: [],
      estimate: 17_700,
      chargeableWeightG: 720,
    },
  ],
  currency: 'CNY',
  estimate: 17_700,
  actual: null,
  settlement: null,
  storageFee: 0,
  measured: null,
  carrier: null,
  trackingNo: null,
  itemIds: [],
  transactions: { booking: '1796481939554000017', settlement: null, cancellation: null },
  version: 1,
  createTime: BOOKED,
  updateTime: BOOKED,
  packTime: null,
  shipTime: null,
  deliverTime: null,
  cancelTime: null,
  history: history([[null, 'booked', 'api:book', null, BOOKED]]),
};

const PACKING: Body = {
  ...BOOKING,
  event: 'packed',
  status: 'packed',
  actual: 21_900,
  settlement: { amount: 4_200, direction: 'charge' },
  storageFee: 0,
  measured: {
    weightG: 820,
    lengthCm: 30,
    widthCm: 25,
    heightCm: 8,
    volumetricWeightG: 1_200,
    chargeableWeightG: 1_200,
  },
  itemIds: ['WI1796481939554000009'],
  transactions: { ...BOOKING.transactions, settlement: '1796482717154000023' },
  version: 2,
  updateTime: PACKED,
  packTime: PACKED,
  history: history([
    [null, 'booked', 'api:book', null, BOOKED],
    ['booked', 'packed', 'admin:pack', 'actual 21900 fen, settled 4200 fen, storage 0 fen', PACKED],
  ]),
};

const SHIPPING: Body = {
  ...PACKING,
  event: 'shipped',
  status: 'shipped',
  carrier: 'YunExpress',
  trackingNo: 'YT2412345678901',
  version: 3,
  updateTime: SHIPPED,
  shipTime: SHIPPED,
  history: [
    ...PACKING.history,
    ...history([['packed', 'shipped', 'admin:ship', 'YunExpress YT2412345678901', SHIPPED]]),
  ],
};

const DELIVERY: Body = {
  ...SHIPPING,
  event: 'delivered',
  status: 'delivered',
  version: 4,
  updateTime: DELIVERED,
  deliverTime: DELIVERED,
  history: [...SHIPPING.history, ...history([['shipped', 'delivered', 'admin:deliver', null, DELIVERED]])],
};

const CANCELLATION: Body = {
  ...BOOKING,
  event: 'cancelled',
  status: 'cancelled',
  transactions: { ...BOOKING.transactions, cancellation: '1796481953954000031' },
  version: 2,
  updateTime: CANCELLED,
  cancelTime: CANCELLED,
  history: [...BOOKING.history, ...history([['booked', 'cancelled', 'api:cancel', null, CANCELLED]])],
};

export const PARCEL_MESSAGE_KINDS = {
  PARCEL_BOOKED: kind({
    messageType: 'PARCEL_BOOKED',
    platform: null,
    schema: ParcelMessageBody,
    description:
      'A parcel was booked from a freight preview (`orderBookingFreight`): its estimate was charged to your balance.',
    example: BOOKING,
  }),
  PARCEL_PACKED: kind({
    messageType: 'PARCEL_PACKED',
    platform: null,
    schema: ParcelMessageBody,
    description:
      'The warehouse packed and weighed a parcel: `actual` is its freight, `settlement` what was charged (the gap) or ' +
      'refunded (the surplus) against the estimate, `storageFee` the storage charged for its goods.',
    example: PACKING,
  }),
  PARCEL_SHIPPED: kind({
    messageType: 'PARCEL_SHIPPED',
    platform: null,
    schema: ParcelMessageBody,
    description: 'A parcel left the warehouse abroad: `carrier` and `trackingNo` follow it.',
    example: SHIPPING,
  }),
  PARCEL_DELIVERED: kind({
    messageType: 'PARCEL_DELIVERED',
    platform: null,
    schema: ParcelMessageBody,
    description: 'A parcel was delivered to its receiver.',
    example: DELIVERY,
  }),
  PARCEL_CANCELLED: kind({
    messageType: 'PARCEL_CANCELLED',
    platform: null,
    schema: ParcelMessageBody,
    description: 'A booked parcel was cancelled before packing (by you or the operator): its estimate was refunded.',
    example: CANCELLATION,
  }),
} as const;
