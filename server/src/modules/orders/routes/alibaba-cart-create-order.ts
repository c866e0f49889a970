import { readIdempotencyKey } from '../../../platform/http/idempotency.js';
import { defineRoute } from '../../../platform/http/route.js';
import { Id, Type } from '../../../platform/http/schema.js';
import { cartLinesForOrder } from '../../carts/index.js';
import {
  alibabaCreateInput,
  BatchCreateResult,
  createFields,
  toBatchCreateResult,
  toReceiver,
} from '../alibaba.schemas.js';
import { placeAlibabaOrders, placedOrders } from '../orders.service.js';

export default defineRoute({
  method: 'POST',
  url: '/alibaba/cart/create/order',
  operationId: 'alibabaCartCreateOrder',
  summary: 'Create 1688 orders from cart records',
  description:
    'Orders the calling sub-account’s 1688 cart records `cartIds` (the `id` of `/alibaba/cart/list`): one order ' +
    'per supplier, each whole or not at all, answered as `/alibaba/order/batch/create` does. The records of the ' +
    'orders made leave the cart in the same transaction; those of a supplier whose order failed stay. An id ' +
    'that is not one of the sub-account’s 1688 records answers 40401 and nothing is ordered. `userId` and ' +
    '`staffName` are accepted as documented; the order belongs to the sub-account of the `user-id` header. Send ' +
    'an `Idempotency-Key`: a retry answers the same orders and creates none twice.',
  tags: ['1688 orders'],
  auth: 'signed',
  mutation: true,
  ownTransactions: true,
  errors: [40401, 50201, 50401, 50402],
  body: Type.Object(
    {
      ...createFields(false),
      cartIds: Type.Array(Id('A cart record id (an integer, or its digits in a string)'), {
        minItems: 1,
        maxItems: 200,
        description: 'The cart records to order: 1 to 200 ids',
        examples: [['1795432287562383360']],
      }),
      userId: Type.Optional(
        Type.Union([Type.String({ maxLength: 64 }), Type.Null()], {
          description: 'Accepted as documented, not used: the order is the `user-id` header’s sub-account’s',
          examples: ['1795432287562383361'],
        }),
      ),
      staffName: Type.Optional(
        Type.Union([Type.String({ maxLength: 64 }), Type.Null()], {
          description: 'The name of the employee placing the order; accepted, not kept',
          examples: ['小王'],
        }),
      ),
    },
    { additionalProperties: false },
  ),
  data: BatchCreateResult,
  handler: async ({ deps, auth, body, req, lang }) => {
    const key = readIdempotencyKey(req);
    // A retry after the first attempt ordered the records (and removed them) answers those orders.
    const placed = key ? await placedOrders(deps, auth, '1688', key) : [];
    if (placed.length > 0) {
      return toBatchCreateResult(
        placed.map((aggregate) => ({
          sellerOpenId: aggregate.parts[0]?.part.seller_open_id ?? '',
          offerIds: [...new Set(aggregate.parts.flatMap((p) => p.lines.map((l) => l.product_id)))],
          result: { ok: true as const, aggregate },
        })),
        lang,
      );
    }
    const receiver = toReceiver(body.addressParam, true);
    const cart = await cartLinesForOrder(deps.database.db, auth, '1688', body.cartIds);
    const lines = cart.map((c) => ({
      productId: c.productId,
      ...(c.skuId ? { skuId: c.skuId } : {}),
      quantity: c.quantity,
      cartItemId: c.cartItemId,
    }));
    const input = alibabaCreateInput(body, lines, 'cartIds', key, receiver);
    return toBatchCreateResult(await placeAlibabaOrders(deps, auth, input), lang);
  },
});
