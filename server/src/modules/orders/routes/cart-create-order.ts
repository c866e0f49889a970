import { readIdempotencyKey } from '../../../platform/http/idempotency.js';
import { defineRoute } from '../../../platform/http/route.js';
import { Id, LanguageField, Text, Type } from '../../../platform/http/schema.js';
import { cartLinesForOrder } from '../../carts/index.js';
import { placedOrders, placeOrder } from '../orders.service.js';
import { ReceiverInput, receiverFrom, TaobaoOrder, toTaobaoOrder } from '../taobao.schemas.js';

const MAX_IDS = 50;

export default defineRoute({
  method: 'POST',
  url: '/open/cart/create/order',
  operationId: 'taobaoCartCreateOrder',
  summary: 'Create a Taobao order from cart records',
  description:
    'Orders the given records of the calling sub-account’s Taobao cart, at today’s market prices, as one order ' +
    '(one sub purchase order per seller), as `/open/order` does, and removes the records once the order is ' +
    'recorded. A record that is not one of the caller’s answers 40401 (checked before the address); a line the ' +
    'market cannot sell answers 40401 or 42202 and nothing is created. Send an `Idempotency-Key`: a retry answers ' +
    'the same order.',
  tags: ['Taobao orders'],
  auth: 'signed',
  mutation: true,
  ownTransactions: true,
  errors: [40401, 40901, 42202, 50201, 50401, 50402],
  body: Type.Object(
    {
      ids: Type.Array(Id('A cart record id (a JSON number is accepted)', '1795432287562383360'), {
        minItems: 1,
        maxItems: MAX_IDS,
        description: `The cart records to order, 1 to ${MAX_IDS} (\`id\` of \`/open/cart/list\`)`,
        examples: [['1795432287562383360']],
      }),
      orderAddress: {
        ...ReceiverInput,
        description:
          'The receiver (`OrderAddress`): `name`, `state` (province), `city` and `address` are required; ' +
          '`mobile_phone`, `phone`, `country` (default 中国), `district`, `zip` optional',
      },
      userId: Type.Optional(
        Type.Union([Text('Platform user id', 64), Type.Null()], {
          description: 'Platform user id; informational: the order is the `user-id` header’s sub-account’s',
          examples: ['2100007340000'],
        }),
      ),
      language: LanguageField,
    },
    { additionalProperties: false },
  ),
  data: TaobaoOrder,
  handler: async ({ deps, db, auth, body, req, lang }) => {
    const idempotencyKey = readIdempotencyKey(req);
    // A retry after the first attempt ordered the records (and removed them) answers that order.
    const [placed] = idempotencyKey ? await placedOrders(deps, auth, 'taobao', idempotencyKey) : [];
    if (placed) return toTaobaoOrder(placed, lang);
    const cart = await cartLinesForOrder(db, auth, 'taobao', body.ids);
    const receiver = receiverFrom(body.orderAddress, 'orderAddress');
    const agg = await placeOrder(deps, auth, {
      platform: 'taobao',
      lines: cart.map((l) => ({
        productId: l.productId,
        ...(l.skuId ? { skuId: l.skuId } : {}),
        quantity: l.quantity,
        ...(l.mpId ? { mpId: l.mpId } : {}),
        ...(l.mpSkuId ? { mpSkuId: l.mpSkuId } : {}),
        cartItemId: l.cartItemId,
      })),
      receiver,
      linesField: 'ids',
      ...(idempotencyKey ? { idempotencyKey } : {}),
    });
    return toTaobaoOrder(agg, lang);
  },
});
