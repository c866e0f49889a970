import { defineRoute } from '../../../platform/http/route.js';
import { LanguageField, Type } from '../../../platform/http/schema.js';
import { getOrder } from '../orders.service.js';
import { OrderIdField, TaobaoOrder, toTaobaoOrder } from '../taobao.schemas.js';

export default defineRoute({
  method: 'GET',
  url: '/open/order/get',
  operationId: 'taobaoGetOrder',
  summary: 'Taobao order details by order id',
  description:
    'The order with its amounts (fen), receiver, sub purchase orders (one per seller, with the marketplace’s ' +
    'order id) and lines (titles and SKU properties in Chinese, with the `…Trans` fields in `language`; domestic ' +
    'carrier and tracking number once shipped). Another developer’s or another sub-account’s order answers 40401.',
  tags: ['Taobao orders'],
  auth: 'signed',
  errors: [40401],
  query: Type.Object({ orderId: OrderIdField, language: LanguageField }, { additionalProperties: false }),
  data: TaobaoOrder,
  handler: async ({ db, auth, query, lang }) => toTaobaoOrder(await getOrder(db, auth, 'taobao', query.orderId), lang),
});
