import { Type } from '../../platform/http/schema.js';
import { kind } from '../messages/message-kind.js';
import { WarehouseItem, type WarehouseItemData } from './warehouse.schemas.js';

/** The warehouse's callback messages (docs/adr/0015): one kind per change of a warehouse item. */

export const WAREHOUSE_EVENTS = ['expected', 'received', 'inspected', 'exception', 'returned'] as const;
export type WarehouseEvent = (typeof WAREHOUSE_EVENTS)[number];

/** The message type of each event. */
export const WAREHOUSE_MESSAGE_TYPES = {
  expected: 'WAREHOUSE_ITEM_EXPECTED',
  received: 'WAREHOUSE_ITEM_RECEIVED',
  inspected: 'WAREHOUSE_ITEM_INSPECTED',
  exception: 'WAREHOUSE_ITEM_EXCEPTION',
  returned: 'WAREHOUSE_ITEM_RETURNED',
} as const satisfies Record<WarehouseEvent, string>;

export const WarehouseItemMessageBody = Type.Object(
  {
    event: Type.Enum([...WAREHOUSE_EVENTS], {
      description: 'What happened, the message type’s last word: `expected`, `received`, `inspected`, …',
      examples: ['received'],
    }),
    ...WarehouseItem.properties,
  },
  {
    title: 'WarehouseItemMessageBody',
    description:
      'A warehouse item as `GET /open/pp/warehouse/items/{itemId}` answers it (without its history), titles in ' +
      'English, with the event that changed it; `version` is the envelope’s',
  },
);

export const WAREHOUSE_BODY_SCHEMAS = { WarehouseItemMessageBody } as const;

const exampleItem: WarehouseItemData = {
  itemId: 'WI1796214365581049856',
  status: 'expected',
  source: 'order',
  platform: 'taobao',
  orderId: '1795432287562383360',
  lineId: '1795432287562383362',
  externalOrderId: null,
  productId: '2048020617114736',
  skuId: '413185732720',
  title: '英皇保罗男士长款银行皮夹钱包',
  titleTrans: 'Emperor Paul men’s long wallet',
  imageUrl: 'https://img.alicdn.com/imgextra/i1/wallet.jpg',
  quantity: 2,
  quantityReceived: null,
  condition: null,
  trackingNo: 'SF1234521212678',
  carrier: '顺丰速运',
  photos: [],
  weightG: null,
  size: null,
  attributes: null,
  note: null,
  storage: { days: 0, freeDays: 30, feePerDay: 50, chargeableDays: 0, feeSoFar: 0, charged: false },
  refundId: null,
  parcelId: null,
  version: 1,
  createTime: 1733385600000,
  updateTime: 1733385600000,
  receiveTime: null,
  inspectTime: null,
  packTime: null,
  shipTime: null,
};

const received = {
  ...exampleItem,
  status: 'received' as const,
  version: 2,
  updateTime: 1733558400000,
  receiveTime: 1733558400000,
};
const inspected = {
  ...received,
  status: 'stored' as const,
  quantityReceived: 2,
  condition: 'ok' as const,
  photos: ['https://ponte.example/files/warehouse/2100007340000/3f0a…e1.jpg?expires=1733562000&sig=…'],
  weightG: 640,
  size: { lengthCm: 22, widthCm: 12, heightCm: 6 },
  attributes: [],
  version: 4,
  updateTime: 1733562000000,
  inspectTime: 1733562000000,
};
const exception = {
  ...received,
  status: 'exception' as const,
  quantityReceived: 2,
  condition: 'damaged' as const,
  photos: inspected.photos,
  weightG: 640,
  size: inspected.size,
  attributes: [],
  note: 'box crushed, one wallet torn',
  refundId: '1796214365581049870',
  version: 3,
  updateTime: 1733562000000,
  inspectTime: 1733562000000,
};

export const WAREHOUSE_MESSAGE_KINDS = {
  WAREHOUSE_ITEM_EXPECTED: kind({
    messageType: WAREHOUSE_MESSAGE_TYPES.expected,
    platform: null,
    schema: WarehouseItemMessageBody,
    description:
      'The warehouse expects goods: a seller shipped a line of your order (one item per line and domestic tracking ' +
      'number), or you declared a tracking number by W3 (`/open/pp/logistics/updateLogisticInfo`).',
    example: { event: 'expected', ...exampleItem },
  }),
  WAREHOUSE_ITEM_RECEIVED: kind({
    messageType: WAREHOUSE_MESSAGE_TYPES.received,
    platform: null,
    schema: WarehouseItemMessageBody,
    description:
      'The domestic parcel arrived at the warehouse (matched by its tracking number, or by the operator): storage ' +
      'days count from now.',
    example: { event: 'received', ...received },
  }),
  WAREHOUSE_ITEM_INSPECTED: kind({
    messageType: WAREHOUSE_MESSAGE_TYPES.inspected,
    platform: null,
    schema: WarehouseItemMessageBody,
    description:
      'The goods were inspected and found in order: `stored`, ready to pack, with the photos (signed links), the ' +
      'weight and size as measured and the goods attributes found.',
    example: { event: 'inspected', ...inspected },
  }),
  WAREHOUSE_ITEM_EXCEPTION: kind({
    messageType: WAREHOUSE_MESSAGE_TYPES.exception,
    platform: null,
    schema: WarehouseItemMessageBody,
    description:
      'Inspection found the goods damaged, wrong or short: the item waits for the operator (`exception`). When the ' +
      'warehouse asked the marketplace for a refund, `refundId` names it and its own messages follow.',
    example: { event: 'exception', ...exception },
  }),
  WAREHOUSE_ITEM_RETURNED: kind({
    messageType: WAREHOUSE_MESSAGE_TYPES.returned,
    platform: null,
    schema: WarehouseItemMessageBody,
    description: 'Goods in exception were sent back to the seller (`returned`): they will not be shipped abroad.',
    example: {
      event: 'returned',
      ...exception,
      status: 'returned',
      note: 'sent back to the seller',
      version: 4,
      updateTime: 1733648400000,
    },
  }),
} as const;
