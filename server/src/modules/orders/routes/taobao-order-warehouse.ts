import { defineRoute } from '../../../platform/http/route.js';
import { LanguageField, Text, Type } from '../../../platform/http/schema.js';
import { updateWarehouse } from '../orders.service.js';
import { OrderIdField, TaobaoOrder, toTaobaoOrder } from '../taobao.schemas.js';

export default defineRoute({
  method: 'POST',
  url: '/open/order/updateWarehouse',
  operationId: 'taobaoUpdateWarehouse',
  summary: 'Modify the pre-warehouse information of a Taobao order',
  description:
    'Records the consolidation warehouse the sellers’ parcels go to (its name and address), until the first ' +
    'seller ships: after that, or once the order is closed, the answer is 40901.',
  tags: ['Taobao orders'],
  auth: 'signed',
  mutation: true,
  ownTransactions: true,
  errors: [40401, 40901],
  body: Type.Object(
    {
      orderId: OrderIdField,
      warehouseName: Text('Pre-warehouse name', 64, '一号仓库', 1),
      warehouseAddress: Text('Pre-warehouse address', 256, '广西省', 1),
      language: LanguageField,
    },
    { additionalProperties: false },
  ),
  data: TaobaoOrder,
  handler: async ({ deps, auth, body, lang }) => {
    const { warehouseName, warehouseAddress } = body;
    return toTaobaoOrder(await updateWarehouse(deps, auth, body.orderId, { warehouseName, warehouseAddress }), lang);
  },
});
