import { notFound } from '../../../platform/http/errors.js';
import { defineRoute } from '../../../platform/http/route.js';
import { Type } from '../../../platform/http/schema.js';
import { historyOf, itemById } from '../items.repo.js';
import { AdminWarehouseItemDetail, ItemId, toAdminWarehouseItem, toHistory } from '../warehouse.schemas.js';

export default defineRoute({
  method: 'GET',
  url: '/admin/warehouse/items/:itemId',
  operationId: 'adminWarehouseItemGet',
  summary: 'Get a warehouse item with its history',
  description: 'One warehouse item as in the list, with every change of it, oldest first.',
  tags: ['Admin'],
  auth: 'admin',
  errors: [40401],
  params: Type.Object({ itemId: ItemId('The warehouse item') }),
  data: AdminWarehouseItemDetail,
  handler: async ({ deps, db, params, lang }) => {
    const item = await itemById(db, params.itemId);
    if (!item) throw notFound('warehouseItem', params.itemId);
    return { ...toAdminWarehouseItem(deps, item, lang), history: toHistory(await historyOf(db, item.id)) };
  },
});
