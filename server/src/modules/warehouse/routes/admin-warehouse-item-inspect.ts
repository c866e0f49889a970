import { defineRoute } from '../../../platform/http/route.js';
import { Int, type Static, Strict, Text, Type } from '../../../platform/http/schema.js';
import { INSPECTION_MAX_PHOTOS, inspectItem, inspectionBodyLimit } from '../inspection.js';
import { historyOf } from '../items.repo.js';
import {
  AdminWarehouseItemDetail,
  GoodsAttribute,
  ItemCondition,
  ItemId,
  toAdminWarehouseItem,
  toHistory,
} from '../warehouse.schemas.js';

export default defineRoute({
  method: 'POST',
  url: '/admin/warehouse/items/:itemId/inspect',
  operationId: 'adminWarehouseItemInspect',
  summary: 'Record the inspection of a received item',
  description:
    'Records what the operator found in a `received` item: units, condition, photos (base64 JPEG, PNG, GIF or BMP of ' +
    `at most 1 MB each, at most ${INSPECTION_MAX_PHOTOS}; stored by content), weight and size as measured, and the ` +
    'goods attributes found (they override the catalog’s guess when the parcel is quoted). `ok` stores the item ' +
    '(`stored`, message `WAREHOUSE_ITEM_INSPECTED`); `damaged`, `wrong_item` or `short` makes it an exception ' +
    '(`WAREHOUSE_ITEM_EXCEPTION`). With `refund`, the marketplace is first asked to refund the order line (goods at ' +
    'the warehouse; damaged or wrong goods returned, missing units refunded in proportion; the reason given or the ' +
    'marketplace’s that fits the finding) and the refund’s id is recorded on the item; a refusal leaves the item ' +
    'as it was. Other states answer 40901.',
  tags: ['Admin'],
  auth: 'admin',
  mutation: true,
  ownTransactions: true,
  errors: [40401, 40901, 50201, 50401, 50402],
  bodyLimit: inspectionBodyLimit,
  params: Type.Object({ itemId: ItemId('The warehouse item') }),
  body: Strict({
    quantityReceived: Int('Units found in the parcel for this item', 0, 100_000, 2),
    condition: ItemCondition,
    photos: Type.Optional(
      Type.Array(Type.String({ description: 'A photo, base64 (a `data:` URL prefix allowed)' }), {
        maxItems: INSPECTION_MAX_PHOTOS,
        description: 'Photos of the goods',
      }),
    ),
    weightG: Type.Optional(Int('Weight as measured (g)', 0, 1_000_000, 640)),
    lengthCm: Type.Optional(Int('Length as measured (cm)', 0, 10_000, 22)),
    widthCm: Type.Optional(Int('Width as measured (cm)', 0, 10_000, 12)),
    heightCm: Type.Optional(Int('Height as measured (cm)', 0, 10_000, 6)),
    attributes: Type.Optional(
      Type.Array(GoodsAttribute, { maxItems: 5, description: 'Goods attributes found (none: an empty list)' }),
    ),
    note: Type.Optional(Text('What the operator saw', 500, 'box crushed, one wallet torn')),
    refund: Type.Optional(
      Strict(
        {
          reasonId: Type.Optional(
            Text('A refund reason id of the marketplace (default: the one that fits the condition)', 20, '403770', 1),
          ),
          description: Type.Optional(Text('What the refund says (default: the finding)', 150, '包装破损，商品损坏', 2)),
          amount: Type.Optional(
            Int('Amount asked for (fen; default: what is left of the line, in proportion when short)', 1, 1e10, 7499),
          ),
        },
        'Ask the marketplace to refund the order line (damaged, wrong or short goods of a Ponte order)',
      ),
    ),
  }),
  data: AdminWarehouseItemDetail,
  handler: async ({ deps, params, body, lang, answerIn }) => {
    // The answer is stored with the inspection (its Idempotency-Key), so a retry after a crash replays it.
    let answered: Static<typeof AdminWarehouseItemDetail> | undefined;
    await inspectItem(deps, params.itemId, body, async (trx, item) => {
      answered = { ...toAdminWarehouseItem(deps, item, lang), history: toHistory(await historyOf(trx, item.id)) };
      await answerIn(trx, answered);
    });
    return answered as Static<typeof AdminWarehouseItemDetail>;
  },
});
