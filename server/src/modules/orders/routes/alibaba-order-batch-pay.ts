import { ApiError } from '../../../platform/http/errors.js';
import { defineRoute } from '../../../platform/http/route.js';
import { Type } from '../../../platform/http/schema.js';
import { upstreamApiError } from '../../../platform/http/upstream-errors.js';
import { type BatchPayData, BatchPayResult, OrderIdField, payFailure } from '../alibaba.schemas.js';
import { findOwnOrder } from '../orders.repo.js';
import { payOrder } from '../orders.service.js';

export default defineRoute({
  method: 'POST',
  url: '/alibaba/order/batch/submit/to/pay',
  operationId: 'alibabaOrderBatchPay',
  summary: 'Pay several 1688 orders from the balance',
  description:
    'Pays each order in the order given, from the developer’s balance, as `/alibaba/order/pay/url` would ' +
    'one by one: an order already paid counts as paid and is not debited again. The orders that could not be ' +
    'paid are in `cantPayOrderList`, with the error code and message of each in `payFailureReasons` (40401 ' +
    'unknown, 40901 closed, 42201 the balance no longer covers it, 42203 its price changed...); the others ' +
    'stay paid. An order whose payment the marketplace has not confirmed in time has `pending` true (debited; ' +
    '`ORDER_BUYER_VIEW_ORDER_PAY` follows, or the debit is reversed). Send an `Idempotency-Key` to replay the first answer on a retry; without one, a retry pays ' +
    'only what is still unpaid.',
  tags: ['1688 orders'],
  auth: 'signed',
  mutation: true,
  ownTransactions: true,
  body: Type.Object(
    {
      orderIds: Type.Array(OrderIdField, {
        minItems: 1,
        maxItems: 50,
        uniqueItems: true,
        description: 'The orders to pay: 1 to 50 ids, each once',
        examples: [['2059624776425880794', '2060506524492880794']],
      }),
    },
    { additionalProperties: false },
  ),
  data: BatchPayResult,
  handler: async ({ deps, auth, body, lang }) => {
    const out: BatchPayData = { payResults: [], cantPayOrderList: [], payFailureReasons: {} };
    for (const orderId of body.orderIds) {
      try {
        const { outcome } = await payOrder(deps, auth, '1688', orderId);
        const pending = outcome.kind === 'pending';
        const alreadyPaid = outcome.kind === 'paid' && outcome.alreadyPaid;
        out.payResults.push({ orderId, protocolPaySuccess: !pending, alreadyPaid, pending });
      } catch (err) {
        const error = err instanceof ApiError ? err : upstreamApiError(err);
        if (!error) throw err;
        if (
          error.code >= 50000 &&
          (await findOwnOrder(deps.database.db, auth, '1688', orderId))?.pay_state === 'paying'
        ) {
          // Debited; the marketplace's answer did not come: the worker settles it, as for a single payment.
          out.payResults.push({ orderId, protocolPaySuccess: false, alreadyPaid: false, pending: true });
          continue;
        }
        out.payResults.push({ orderId, protocolPaySuccess: false, alreadyPaid: false, pending: false });
        out.cantPayOrderList.push(orderId);
        out.payFailureReasons[orderId] = payFailure(error, lang);
      }
    }
    return out;
  },
});
