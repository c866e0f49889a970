import { ApiError } from '../../../platform/http/errors.js';
import { defineRoute } from '../../../platform/http/route.js';
import { Type } from '../../../platform/http/schema.js';
import { OrderIdField, PayUrlResult } from '../alibaba.schemas.js';
import { getOrder, payOrder } from '../orders.service.js';
import { PAY_TOKEN_TTL_MS, payPageUrl } from '../pay-page.js';

export default defineRoute({
  method: 'GET',
  url: '/alibaba/order/pay/url',
  operationId: 'alibabaOrderPayUrl',
  summary: 'Pay a 1688 order, or get a link to pay it',
  description:
    'When the developer’s balance covers the order, pays it at once from the balance (protocol pay): ' +
    '`protocolPaySuccess` true and `payUrl` null. Otherwise nothing is debited, `protocolPaySuccess` is false ' +
    'and `payUrl` is a link to Ponte’s payment page for this order: it shows the order (supplier, lines, ' +
    'total), the balance and what is still due, and pays the order from the balance once a top-up covers it. ' +
    `The link is valid for ${PAY_TOKEN_TTL_MS / 3_600_000} hours; anyone holding it can see and pay the order, ` +
    'so hand it only to who should pay. An order already paid answers `protocolPaySuccess` true again and is ' +
    'never debited twice, which makes this GET safe to retry (a payment is keyed by the order, not by the ' +
    'request). `protocolPaySuccess` false with `payUrl` null: the balance was debited and the marketplace has ' +
    'not confirmed yet; the order (`/alibaba/order/detail`) or `ORDER_BUYER_VIEW_ORDER_PAY` tells when it is. ' +
    'A closed order answers 40901; a price the seller changed after the debit 42203 (the debit is reversed).',
  tags: ['1688 orders'],
  auth: 'signed',
  errors: [40401, 40901, 42203, 50201, 50401, 50402],
  query: Type.Object({ orderId: OrderIdField }, { additionalProperties: false }),
  data: PayUrlResult,
  handler: async ({ deps, auth, query }) => {
    try {
      const { outcome, aggregate } = await payOrder(deps, auth, '1688', query.orderId);
      const paid = outcome.kind === 'paid';
      return { orderId: aggregate.order.id, protocolPaySuccess: paid, payUrl: null, cantPayOrderList: null };
    } catch (err) {
      if (!(err instanceof ApiError) || err.code !== 42201) throw err;
      const { order } = await getOrder(deps.database.db, auth, '1688', query.orderId);
      return { orderId: order.id, protocolPaySuccess: false, payUrl: payPageUrl(deps, order), cantPayOrderList: null };
    }
  },
});
