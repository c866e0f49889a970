import { defineRoute } from '../../../platform/http/route.js';
import { Strict, Text, Type } from '../../../platform/http/schema.js';
import { returnItem } from '../inspection.js';
import { historyOf } from '../items.repo.js';
import { AdminWarehouseItemDetail, ItemId, toAdminWarehouseItem, toHistory } from '../warehouse.schemas.js';

export default defineRoute({
  method: 'POST',
  url: '/admin/warehouse/items/:itemId/return',
  operationId: 'adminWarehouseItemReturn',
  summary: 'Send an item in exception back to its seller',
  description:
    'An item in `exception` (damaged, wrong or short) was sent back: `returned`, message `WAREHOUSE_ITEM_RETURNED`. ' +
    'Other states answer 40901.',
  tags: ['Admin'],
  auth: 'admin',
  mutation: true,
  errors: [40401, 40901],
  params: Type.Object({ itemId: ItemId('The warehouse item') }),
  body: Strict({ note: Type.Optional(Text('How it was sent back', 500, 'returned by ZTO 7312…')) }),
  data: AdminWarehouseItemDetail,
  handler: async ({ deps, db, params, body, lang }) => {
    const item = await returnItem(db, deps, params.itemId, body.note);
    return { ...toAdminWarehouseItem(deps, item, lang), history: toHistory(await historyOf(db, item.id)) };
  },
});
