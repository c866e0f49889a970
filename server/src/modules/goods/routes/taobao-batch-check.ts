import { defineRoute } from '../../../platform/http/route.js';
import { Int, JsonString, type Static, Type } from '../../../platform/http/schema.js';
import { OpaqueId } from '../../../platform/http/v2/annotations.js';
import type { ProviderProduct } from '../../../providers/types.js';
import { Fen } from '../taobao.schemas.js';

const ItemId = OpaqueId(
  'taobao-item',
  Type.String({ pattern: '^[0-9]{1,20}$', description: 'Taobao item id', examples: ['672991141190'] }),
);
const SkuId = OpaqueId(
  'taobao-sku',
  Type.String({ pattern: '^[0-9]{1,20}$', description: 'SKU id', examples: ['3452545926724'] }),
);
/** An item id of the answer: the one asked (on v2 its opaque id, whichever form was asked). */
const AskedItemId = (description: string) => OpaqueId('taobao-item', Type.String({ description }));

const MAX_ITEMS = 50;
const MAX_SKUS = 200;

const MpSku = Type.Object({
  skuId: OpaqueId('taobao-sku', Type.String({ description: 'SKU id, as asked' })),
  mpSkuId: OpaqueId('taobao-mp-sku', Type.String({ description: 'Distribution SKU id, to order this SKU with' })),
  price: Fen('List price'),
  promotionPrice: Fen('Promotion price'),
  quantity: Int('Stock', 0, Number.MAX_SAFE_INTEGER),
  status: Type.String({ description: '`active`, or `inactive` without stock' }),
});

const MpProduct = Type.Object({
  itemId: AskedItemId('Taobao item id, as asked'),
  mpId: OpaqueId('taobao-mp', Type.String({ description: 'Distribution product id' })),
  skuList: Type.Array(MpSku, {
    description: 'The asked SKUs that exist and are distributable (every such SKU when none were asked)',
  }),
});

const NO_SUCH_ITEM = 'The item does not exist';
const DELISTED = 'The item is delisted';
const NOT_DISTRIBUTABLE = 'The item is not distributable';

function refusalOf(product: ProviderProduct | undefined): string {
  if (!product) return NO_SUCH_ITEM;
  if (product.status === 'delisted') return DELISTED;
  return product.notDistributableReason ?? NOT_DISTRIBUTABLE;
}

type Asked = { itemId: string; skuIds: string[] };

/** Asks for the same item twice are one ask for all their SKUs, answered once. */
function merge(params: { itemId: string; skuIds?: string[] }[]): Asked[] {
  const byItem = new Map<string, Set<string>>();
  for (const p of params) {
    const skus = byItem.get(p.itemId) ?? new Set<string>();
    for (const s of p.skuIds ?? []) skus.add(s);
    byItem.set(p.itemId, skus);
  }
  return [...byItem].map(([itemId, skus]) => ({ itemId, skuIds: [...skus] }));
}

export default defineRoute({
  method: 'POST',
  url: '/open/product/batch/check',
  operationId: 'taobaoBatchCheck',
  summary: 'Batch query goods by Taobao item ids',
  description:
    'Checks up to 50 items at once before ordering: for each distributable item, its distribution id (`mpId`) and ' +
    'the asked SKUs with their distribution SKU id, prices (fen), stock and status, read from the marketplace ' +
    '(not cached). Items that do not exist, are delisted or are not distributable are listed in ' +
    '`noMpProductItemIds`, and `noMpReasonList` says why; an asked SKU that the item does not have, or cannot be ' +
    'distributed, is reported there too (its item stays in `mpProducts`). An item asked twice is answered once.',
  tags: ['Taobao goods'],
  auth: 'signed',
  errors: [50201, 50401],
  body: Type.Object(
    {
      params: JsonString(
        Type.Array(
          Type.Object(
            {
              itemId: ItemId,
              skuIds: Type.Optional(
                Type.Array(SkuId, {
                  maxItems: MAX_SKUS,
                  description: 'SKUs to check; omitted or empty: every SKU of the item',
                }),
              ),
            },
            { additionalProperties: false },
          ),
          { minItems: 1, maxItems: MAX_ITEMS },
        ),
        `The items to check, JSON-encoded in a string: \`[{"itemId":"…","skuIds":["…"]}]\`, 1 to ${MAX_ITEMS} items`,
      ),
    },
    { additionalProperties: false },
  ),
  data: Type.Object({
    mpProducts: Type.Array(MpProduct, { description: 'The distributable items, in the order asked' }),
    noMpProductItemIds: Type.Array(AskedItemId('Taobao item id'), {
      description: 'Items that do not exist, are delisted or are not distributable, in the order asked',
    }),
    noMpReasonList: Type.Array(
      Type.Object({
        itemId: AskedItemId('Taobao item id'),
        reason: Type.String({ description: 'Why the item, or one of its asked SKUs, cannot be distributed' }),
      }),
      { description: 'One entry per item in `noMpProductItemIds`, and one per asked SKU that was left out' },
    ),
  }),
  handler: async ({ deps, body }) => {
    const asked = merge(body.params);
    const found = await deps.market.taobao.getProducts(asked.map((a) => a.itemId));
    const byId = new Map<string, ProviderProduct>(found.map((p) => [p.productId, p]));
    const mpProducts: { itemId: string; mpId: string; skuList: Static<typeof MpSku>[] }[] = [];
    const noMpProductItemIds: string[] = [];
    const noMpReasonList: { itemId: string; reason: string }[] = [];
    for (const { itemId, skuIds } of asked) {
      const product = byId.get(itemId);
      if (!product || product.status === 'delisted' || product.mpId === null) {
        noMpProductItemIds.push(itemId);
        noMpReasonList.push({ itemId, reason: refusalOf(product) });
        continue;
      }
      const skus = new Map(product.skus.map((s) => [s.skuId, s]));
      const wanted = skuIds.length > 0 ? skuIds : product.skus.map((s) => s.skuId);
      const skuList: Static<typeof MpSku>[] = [];
      for (const skuId of wanted) {
        const sku = skus.get(skuId);
        if (!sku) noMpReasonList.push({ itemId, reason: `SKU ${skuId} does not exist on this item` });
        else if (sku.mpSkuId === null) noMpReasonList.push({ itemId, reason: `SKU ${skuId} is not distributable` });
        else {
          skuList.push({
            skuId,
            mpSkuId: sku.mpSkuId,
            price: sku.priceFen,
            promotionPrice: sku.promotionPriceFen,
            quantity: sku.stock,
            status: sku.status,
          });
        }
      }
      mpProducts.push({ itemId, mpId: product.mpId, skuList });
    }
    return { mpProducts, noMpProductItemIds, noMpReasonList };
  },
});
