import type { AuthContext } from '../../../platform/auth/credentials.js';
import type { OpaqueKind } from '../../../platform/crypto/opaque-ids.js';
import type { Executor } from '../../../platform/db/database.js';
import { invalidParameter } from '../../../platform/http/errors.js';
import { readIdempotencyKey } from '../../../platform/http/idempotency.js';
import { defineRoute } from '../../../platform/http/route.js';
import { Id, Int, JsonString, LanguageField, type Static, Text, Type } from '../../../platform/http/schema.js';
import { OpaqueId } from '../../../platform/http/v2/annotations.js';
import { addressForOrder } from '../../accounts/index.js';
import { placeOrder } from '../orders.service.js';
import type { LineRequest, Receiver } from '../orders.types.js';
import { Fen, ReceiverInput, receiverFrom, TaobaoOrder, toTaobaoOrder } from '../taobao.schemas.js';

const MAX_LINES = 50;
const Nullable = (description: string, max: number, example: string, opaque?: OpaqueKind) => {
  const schema = Type.Union([Text(description, max), Type.Null()], { description, examples: [example] });
  return Type.Optional(opaque ? OpaqueId(opaque, schema) : schema);
};

const OrderLine = Type.Object(
  {
    itemId: OpaqueId('taobao-item', Id('Taobao item id', '672991141190')),
    skuId: Type.Optional(
      OpaqueId(
        'taobao-sku',
        Type.Union([Type.String({ pattern: '^[0-9]{0,20}$' }), Type.Null()], {
          description: 'SKU id; required when the item has SKUs (empty or null for an item without)',
          examples: ['3452545926724'],
        }),
      ),
    ),
    quantity: Int('Quantity; a numeric string is accepted', 1, 1_000_000, 2),
    price: Type.Optional(
      Fen('The unit price you expect, kept for the record: the marketplace’s price is charged', 689),
    ),
    currency: Type.Optional(
      Type.Union([Type.Literal('CNY'), Type.Null()], { description: 'Currency of `price`: CNY', examples: ['CNY'] }),
    ),
    orderLineNo: Nullable('Your line number, returned on the line', 64, '1'),
    mpId: Nullable('Distribution product id (T3), for the record', 40, '26', 'taobao-mp'),
    mpSkuId: Nullable('Distribution SKU id (T3), for the record', 40, '65', 'taobao-mp-sku'),
  },
  { additionalProperties: false },
);

export const CreateOrderBody = Type.Object(
  {
    orderLineList: JsonString(
      Type.Array(OrderLine, { minItems: 1, maxItems: MAX_LINES }),
      `The lines, JSON-encoded in a string (the parsed array is accepted too): \`[{"itemId":"…","skuId":"…",` +
        `"quantity":"1","price":"689","currency":"CNY","orderLineNo":"1"}]\`, 1 to ${MAX_LINES} lines; numbers may ` +
        'be numeric strings. Lines of several sellers make one sub purchase order per seller',
    ),
    receiver: Type.Optional(
      JsonString(
        ReceiverInput,
        'The receiver, JSON-encoded in a string (the parsed object is accepted too): `name`, `state` (province), `city` and ' +
          '`address` are required; `mobile_phone`, `phone`, `country` (default 中国), `district`, `zip` optional. ' +
          'Give `receiver` or `addressId`, not both',
      ),
    ),
    addressId: Type.Optional(
      Id('Instead of `receiver`: one of the sub-account’s saved addresses (`/open/address/addOrUpdate`)', '1795432'),
    ),
    purchaseAmount: Type.Optional(
      Fen('Your budget: the order is refused (42203, nothing created) when the marketplace’s total is higher', 400),
    ),
    orderSource: Nullable('Your e-commerce platform (e.g. `lazada`)', 32, 'lazada'),
    sellerOrderNumber: Nullable('Your order number on that platform; T8 filters by it', 64, '1'),
    language: LanguageField,
  },
  { additionalProperties: false },
);
type Body = Static<typeof CreateOrderBody>;

function toLineRequest(line: Static<typeof OrderLine>): LineRequest {
  return {
    productId: line.itemId,
    ...(line.skuId ? { skuId: line.skuId } : {}),
    quantity: line.quantity,
    ...(line.orderLineNo ? { orderLineNo: line.orderLineNo } : {}),
    ...(line.mpId ? { mpId: line.mpId } : {}),
    ...(line.mpSkuId ? { mpSkuId: line.mpSkuId } : {}),
    ...(line.price !== undefined ? { clientPriceFen: line.price } : {}),
  };
}

async function receiverOf(db: Executor, auth: AuthContext, body: Body): Promise<Receiver> {
  if (body.receiver && body.addressId) throw invalidParameter('addressId', 'receiverOrAddressId');
  if (body.addressId) return addressForOrder(db, auth, body.addressId);
  if (!body.receiver) throw invalidParameter('receiver', 'required');
  return receiverFrom(body.receiver, 'receiver');
}

export default defineRoute({
  method: 'POST',
  url: '/open/order',
  operationId: 'taobaoCreateOrder',
  summary: 'Create a Taobao order',
  description:
    'Checks the lines with the marketplace (unknown item or SKU: 40401; stock or minimum quantity: 42202), checks ' +
    'the total against `purchaseAmount` (42203), then creates the order: one sub purchase order per seller, each a ' +
    'Taobao order, status `WAIT_BUYER_PAY`. Pay it with `/open/order/pay` (or a payment voucher) before the ' +
    'marketplace closes it, a day after creation. Send an `Idempotency-Key`: a retry with the same key answers the ' +
    'same order and never buys twice, even when the first answer was lost.',
  tags: ['Taobao orders'],
  auth: 'signed',
  mutation: true,
  ownTransactions: true,
  errors: [40401, 40901, 42202, 42203, 50201, 50401, 50402],
  body: CreateOrderBody,
  data: TaobaoOrder,
  handler: async ({ deps, db, auth, body, req, lang }) => {
    const receiver = await receiverOf(db, auth, body);
    const idempotencyKey = readIdempotencyKey(req);
    const agg = await placeOrder(deps, auth, {
      platform: 'taobao',
      lines: body.orderLineList.map(toLineRequest),
      receiver,
      linesField: 'orderLineList',
      ...(body.purchaseAmount !== undefined ? { budgetFen: body.purchaseAmount } : {}),
      ...(body.sellerOrderNumber ? { sellerOrderNumber: body.sellerOrderNumber } : {}),
      ...(body.orderSource ? { orderSource: body.orderSource } : {}),
      ...(idempotencyKey ? { idempotencyKey } : {}),
    });
    return toTaobaoOrder(agg, lang);
  },
});
