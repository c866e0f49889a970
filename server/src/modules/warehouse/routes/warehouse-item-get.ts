import { notFound } from '../../../platform/http/errors.js';
import { defineRoute } from '../../../platform/http/route.js';
import { LanguageField, Strict, Type } from '../../../platform/http/schema.js';
import { findOwnItem, historyOf } from '../items.repo.js';
import { ItemId, toHistory, toWarehouseItem, WarehouseItemDetail } from '../warehouse.schemas.js';

export default defineRoute({
  method: 'GET',
  url: '/open/pp/warehouse/items/:itemId',
  operationId: 'warehouseItemGet',
  summary: 'Get one of your warehouse items with its history',
  description:
    'One warehouse item as in the list, with every change of it, oldest first. Another developer’s item, or another ' +
    'sub-account’s, answers 40401 as an unknown one does.',
  tags: ['Warehouse logistics'],
  auth: 'signed',
  errors: [40401],
  params: Type.Object({ itemId: ItemId('The warehouse item') }),
  query: Strict({ language: LanguageField }),
  data: WarehouseItemDetail,
  handler: async ({ deps, db, auth, params, lang }) => {
    const item = await findOwnItem(db, auth, params.itemId);
    if (!item) throw notFound('warehouseItem', params.itemId);
    return { ...toWarehouseItem(deps, item, lang), history: toHistory(await historyOf(db, item.id)) };
  },
});
