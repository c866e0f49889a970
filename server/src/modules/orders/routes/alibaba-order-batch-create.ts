import { readIdempotencyKey } from '../../../platform/http/idempotency.js';
import { defineRoute } from '../../../platform/http/route.js';
import { Type } from '../../../platform/http/schema.js';
import {
  alibabaCreateInput,
  BatchCreateResult,
  createFields,
  SellerCargo,
  toBatchCreateResult,
  toLineRequests,
} from '../alibaba.schemas.js';
import { placeAlibabaOrders } from '../orders.service.js';

export default defineRoute({
  method: 'POST',
  url: '/alibaba/order/batch/create',
  operationId: 'alibabaOrderBatchCreate',
  summary: 'Create 1688 orders of several suppliers',
  description:
    'Splits the lines by supplier and creates one order per supplier (at most 50 lines each), each whole or ' +
    'not at all: `successOrderList` has the orders made, `failedOrderList` the suppliers whose order was not ' +
    'made, with the error code and message a single create (`/alibaba/order/create`) would answer (40401 for ' +
    'an unknown offer, 42202 for stock or a minimum quantity...). Lines are grouped by the offer’s actual ' +
    'supplier. Send an `Idempotency-Key`: a retry answers the same orders and creates none twice, even for ' +
    'the suppliers whose answer was lost. Writes `ORDER_BUYER_VIEW_BUYER_MAKE` for each order.',
  tags: ['1688 orders'],
  auth: 'signed',
  mutation: true,
  ownTransactions: true,
  errors: [50201, 50401, 50402],
  body: Type.Object(
    {
      ...createFields(false),
      cargoParamList: Type.Array(SellerCargo, {
        minItems: 1,
        maxItems: 200,
        description: 'What to buy: 1 to 200 lines, of one or several suppliers (“goods info cannot be empty”)',
      }),
    },
    { additionalProperties: false },
  ),
  data: BatchCreateResult,
  handler: async ({ deps, auth, body, req, lang }) => {
    const input = alibabaCreateInput(
      body,
      toLineRequests(body.cargoParamList),
      'cargoParamList',
      readIdempotencyKey(req),
    );
    return toBatchCreateResult(await placeAlibabaOrders(deps, auth, input), lang);
  },
});
