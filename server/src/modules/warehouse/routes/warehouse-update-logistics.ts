import { defineRoute } from '../../../platform/http/route.js';
import { Int, LanguageField, Strict, Text, Type } from '../../../platform/http/schema.js';
import { OpaqueId } from '../../../platform/http/v2/annotations.js';
import { recordW3 } from '../expected.js';
import { toWarehouseItem, WarehouseItem } from '../warehouse.schemas.js';

// A reference shaped like an opaque id is read as one on v2 (and answers 40401 unless it is one of Ponte's).
const ORDER_REF =
  'Ponte’s order id, or your own order reference for goods bought elsewhere (on v2, a reference of 22 or more ' +
  'letters, digits, `-` or `_` is read as an opaque id)';

const NullableText = (description: string, max: number, example: string) =>
  Type.Optional(Type.Union([Text(description, max, example), Type.Null()], { description }));

export default defineRoute({
  method: 'POST',
  url: '/open/pp/logistics/updateLogisticInfo',
  operationId: 'warehouseUpdateLogistics',
  summary: 'W3: tell the warehouse the domestic tracking numbers of your goods',
  description:
    'Records, per line, the domestic parcels (`domesticLogisticInfo[].logisticNumer`) the warehouse should expect: ' +
    'each tracking number becomes one warehouse item `expected` (message `WAREHOUSE_ITEM_EXPECTED`), received when ' +
    'the parcel arrives. When `orderId` names one of your Ponte orders, each `lineItem` must be one of its lines ' +
    '(same `itemId` and `skuId`, else 40001 naming it) and the items are that line’s; a number the seller already ' +
    'reported is the same item. Any other `orderId` (or only `tmallOrderId`) is goods you bought outside Ponte, kept ' +
    'under that reference. Repeating the call changes nothing already recorded. The system parameters may also be ' +
    'sent in the query (`sign` for `signature`).',
  tags: ['Warehouse logistics'],
  auth: 'signed-or-query',
  mutation: true,
  body: Strict({
    orderId: Type.Optional(
      OpaqueId('order', Type.Union([Text(ORDER_REF, 64, '21'), Type.Null()], { description: ORDER_REF })),
    ),
    tmallOrderId: NullableText('Your own order reference (on your storefront)', 64, '12345667'),
    logisticInfos: Type.Array(
      Strict({
        lineItem: Strict({
          // Which marketplace's ids these are depends on the order (or on nothing, for goods bought elsewhere).
          itemId: Text(
            'Item id (Taobao item, 1688 offer), the marketplace’s own (on v2 too: not an opaque id)',
            40,
            '2048020617114736',
            1,
          ),
          skuId: NullableText('SKU id (Taobao SKU, 1688 specification), the marketplace’s own', 40, '413185732720'),
          quantity: Type.Optional(
            Type.Union([Int('Units in the parcel(s)', 1, 100_000, 1), Type.Null()], {
              description: 'Units (default: the order line’s, or 1)',
            }),
          ),
          title: NullableText('Title', 500, '这是商品1'),
          imageUrl: NullableText('Picture', 2048, 'https://img.alicdn.com/imgextra/i1/item.jpg'),
        }),
        logisticNumer: NullableText(
          'Your international or warehouse number for the line (kept in the item’s history)',
          64,
          'FARJP2408000013YQ',
        ),
        domesticLogisticInfo: Type.Array(
          Strict({
            logisticNumer: Text('Domestic tracking number', 64, 'SF1234521212678', 1),
            logisticCompanyName: NullableText('Domestic carrier', 64, '顺丰'),
            rtsTime: Type.Optional(
              Type.Union([Text('Shipped (epoch seconds, as text)', 20, '1754342534'), Type.Integer(), Type.Null()], {
                description: 'When the seller shipped (epoch seconds)',
              }),
            ),
          }),
          { maxItems: 20, description: 'The domestic parcels the line comes in' },
        ),
      }),
      { minItems: 1, maxItems: 100, description: 'One entry per line' },
    ),
    language: LanguageField,
  }),
  data: Type.Object({
    orderId: OpaqueId(
      'order',
      Type.Union([Type.String({ description: 'Order' }), Type.Null()], {
        description: 'The Ponte order the lines were matched to; null for goods bought outside Ponte',
      }),
    ),
    created: Int('Items recorded now (0 for a repeat)', 0, 2000, 2),
    items: Type.Array(WarehouseItem, { description: 'Every item the request names, in its order' }),
  }),
  handler: async ({ deps, db, auth, body, lang }) => {
    const result = await recordW3(db, deps, auth, body);
    return {
      orderId: result.orderId,
      created: result.created,
      items: result.items.map((i) => toWarehouseItem(deps, i, lang)),
    };
  },
});
