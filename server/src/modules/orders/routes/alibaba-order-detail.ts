import { defineRoute } from '../../../platform/http/route.js';
import { LanguageField, Type } from '../../../platform/http/schema.js';
import { AlibabaOrder, OrderIdField, toAlibabaOrder, WebSite } from '../alibaba.schemas.js';
import { getOrder } from '../orders.service.js';

export default defineRoute({
  method: 'POST',
  url: '/alibaba/order/detail',
  operationId: 'alibabaOrderDetail',
  summary: 'Details of a 1688 order',
  description:
    'The order in 1688’s buyer view: `baseInfo` (status, amounts, times, receiver, supplier), `productItems` ' +
    '(the lines), `nativeLogistics` (the receiver and the seller’s parcels), `tradeTerms` (payment), and the ' +
    'rest of 1688’s structure. Unlike 1688, every amount is integer fen and every time epoch milliseconds. ' +
    'Titles and properties are in Chinese with a `…Trans` beside them in `language`. The same structure is ' +
    'the `messageBody` of the 1688 order messages.',
  tags: ['1688 orders'],
  auth: 'signed',
  errors: [40401],
  body: Type.Object(
    { webSite: WebSite, orderId: OrderIdField, language: LanguageField },
    { additionalProperties: false },
  ),
  data: AlibabaOrder,
  handler: async ({ db, auth, body, lang }) => toAlibabaOrder(await getOrder(db, auth, '1688', body.orderId), lang),
});
