import { defineRoute } from '../../../platform/http/route.js';
import { Strict, Text, Type } from '../../../platform/http/schema.js';
import { type Resolution, resolveException } from '../receipts.js';
import {
  AdminWarehouseItem,
  ExceptionId,
  ItemId,
  toAdminWarehouseItem,
  toWarehouseException,
  WarehouseException,
} from '../warehouse.schemas.js';

export default defineRoute({
  method: 'POST',
  url: '/admin/warehouse/exceptions/:exceptionId/resolve',
  operationId: 'adminWarehouseExceptionResolve',
  summary: 'Resolve a parcel that matched nothing',
  description:
    '`match`: the parcel holds the expected items named (`itemIds`): each becomes `received` (message ' +
    '`WAREHOUSE_ITEM_RECEIVED`) and the exception `matched`; an item that is not `expected` answers 40901, an unknown ' +
    'one 40001 naming it. `return`: the parcel was sent back, the exception `returned`. A resolved exception answers ' +
    '40901.',
  tags: ['Admin'],
  auth: 'admin',
  mutation: true,
  errors: [40401, 40901],
  params: Type.Object({ exceptionId: ExceptionId('The exception') }),
  body: Strict({
    action: Type.Union([Type.Literal('match'), Type.Literal('return')], {
      description: '`match`: the parcel holds the expected items `itemIds`; `return`: it was sent back',
      examples: ['match'],
    }),
    itemIds: Type.Optional(
      Type.Array(ItemId('An expected item the parcel holds'), {
        minItems: 1,
        maxItems: 100,
        description: 'With `match` (required): the items',
      }),
    ),
    note: Type.Optional(Text('Why, or what was done', 500, 'label torn: the parcel of order 1795…')),
  }),
  data: Type.Object({
    exception: WarehouseException,
    items: Type.Array(AdminWarehouseItem, { description: 'The items received (`match`); empty for `return`' }),
  }),
  handler: async ({ deps, db, params, body, lang }) => {
    const resolution: Resolution =
      body.action === 'match'
        ? { action: 'match', itemIds: body.itemIds ?? [], ...(body.note ? { note: body.note } : {}) }
        : { action: 'return', ...(body.note ? { note: body.note } : {}) };
    const resolved = await resolveException(db, deps, params.exceptionId, resolution);
    return {
      exception: toWarehouseException(resolved.exception),
      items: resolved.items.map((i) => toAdminWarehouseItem(deps, i, lang)),
    };
  },
});
