import { readIdempotencyKey } from '../../../platform/http/idempotency.js';
import { defineRoute } from '../../../platform/http/route.js';
import { Type } from '../../../platform/http/schema.js';
import {
  alibabaCreateInput,
  Cargo,
  CreateResult,
  createFields,
  toCreateResult,
  toLineRequests,
} from '../alibaba.schemas.js';
import { placeOrder } from '../orders.service.js';

export default defineRoute({
  method: 'POST',
  url: '/alibaba/order/create',
  operationId: 'alibabaOrderCreate',
  summary: 'Create a 1688 order',
  description:
    'Creates one order of one supplier from up to 50 lines (`cargoParamList`), at the marketplace’s prices, ' +
    'answering as 1688’s fast create: the order id, its total and its shipping, in fen. The order waits for ' +
    'payment (`waitbuyerpay`): pay it with `/alibaba/order/pay/url`. Lines of several suppliers answer 40001 ' +
    '(use `/alibaba/order/batch/create`); an unknown offer or specification answers 40401; a quantity under ' +
    'the offer’s minimum or above its stock answers 42202. `addressParam` needs `fullName`, `mobile` or ' +
    '`phone`, `provinceText`, `cityText` and `address` (40001 names the missing one); `townText` is put ' +
    'before the street. Send an `Idempotency-Key`: a retry with it answers the same order and never buys ' +
    'twice, even when the first answer was lost. Writes `ORDER_BUYER_VIEW_BUYER_MAKE`.',
  tags: ['1688 orders'],
  auth: 'signed',
  mutation: true,
  ownTransactions: true,
  errors: [40401, 42202, 50201, 50401, 50402],
  body: Type.Object(
    {
      ...createFields(true),
      cargoParamList: Type.Array(Cargo, {
        minItems: 1,
        maxItems: 50,
        description: 'What to buy: 1 to 50 lines of one supplier (“goods info cannot be empty”)',
      }),
    },
    { additionalProperties: false },
  ),
  data: CreateResult,
  handler: async ({ deps, auth, body, req }) => {
    const input = alibabaCreateInput(
      body,
      toLineRequests(body.cargoParamList),
      'cargoParamList',
      readIdempotencyKey(req),
    );
    return toCreateResult(await placeOrder(deps, auth, input));
  },
});
