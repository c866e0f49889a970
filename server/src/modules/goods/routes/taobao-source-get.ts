import { notFound } from '../../../platform/http/errors.js';
import type { Language } from '../../../platform/http/i18n.js';
import { defineRoute } from '../../../platform/http/route.js';
import { Int, LanguageField, type Static, Type } from '../../../platform/http/schema.js';
import { OpaqueId } from '../../../platform/http/v2/annotations.js';
import type { ProviderProduct, ProviderSku } from '../../../providers/types.js';
import { cachedProduct } from '../goods.cache.js';

const ItemResource = Type.Object({
  type: Type.Literal('image', { description: 'Kind of resource; pictures only for now' }),
  url: Type.String({ description: 'Address of the resource' }),
  scene: Type.Enum(['main', 'gallery', 'sku'], {
    description: '`main`: the main picture; `gallery`: the other item pictures; `sku`: the picture of some SKUs',
  }),
  skuIds: Type.Array(OpaqueId('taobao-sku', Type.String()), {
    description: 'The SKUs this picture shows (`sku` scene); empty otherwise',
  }),
  name: Type.Union([Type.String(), Type.Null()], {
    description: 'What a `sku` picture shows (its property values, e.g. the colour), original Chinese; else null',
  }),
  nameTrans: Type.Union([Type.String(), Type.Null()], { description: '`name` in the requested language' }),
});

/** What every SKU of a group has in common (the colour a picture shows), in one language. */
function sharedValues(skus: ProviderSku[], lang: Language): string {
  const [first, ...rest] = skus;
  if (!first) return '';
  return first.properties
    .filter((p) => rest.every((s) => s.properties.some((q) => q.propId === p.propId && q.valueId === p.valueId)))
    .map((p) => p.valueName[lang])
    .join(' ');
}

function resources(product: ProviderProduct, lang: Language) {
  const seen = new Set<string>();
  const list: Static<typeof ItemResource>[] = [];
  product.imageUrls.forEach((url, i) => {
    if (seen.has(url)) return;
    seen.add(url);
    list.push({ type: 'image', url, scene: i === 0 ? 'main' : 'gallery', skuIds: [], name: null, nameTrans: null });
  });
  const bySkuPicture = new Map<string, ProviderSku[]>();
  for (const sku of product.skus) {
    if (!sku.imageUrl || seen.has(sku.imageUrl)) continue;
    bySkuPicture.set(sku.imageUrl, [...(bySkuPicture.get(sku.imageUrl) ?? []), sku]);
  }
  for (const [url, skus] of bySkuPicture) {
    list.push({
      type: 'image',
      url,
      scene: 'sku',
      skuIds: skus.map((s) => s.skuId),
      name: sharedValues(skus, 'zh'),
      nameTrans: sharedValues(skus, lang),
    });
  }
  return list;
}

export default defineRoute({
  method: 'POST',
  url: '/open/product/source/get',
  operationId: 'taobaoSourceGet',
  summary: 'Source goods query: translated description and resources',
  description:
    'The title and description of a Taobao item in Chinese and translated into `language`, with its resources: ' +
    'the main picture, the other item pictures, and the SKU pictures with the SKUs they show. Details are cached ' +
    'like those of `GET /open/product/get`.',
  tags: ['Taobao goods'],
  auth: 'signed',
  errors: [40401, 50201, 50401],
  body: Type.Object(
    {
      itemId: OpaqueId(
        'taobao-item',
        Type.String({ pattern: '^[0-9]{1,20}$', description: 'Taobao item id', examples: ['42971808988'] }),
      ),
      language: LanguageField,
    },
    { additionalProperties: false },
  ),
  data: Type.Object({
    itemId: OpaqueId('taobao-item', Int('Taobao item id', 1, Number.MAX_SAFE_INTEGER)),
    language: Type.String({ description: 'Language of the `…Trans` fields' }),
    title: Type.String({ description: 'Title, original Chinese' }),
    titleTrans: Type.String({ description: 'Title in `language`' }),
    description: Type.String({ description: 'Description, original Chinese' }),
    descriptionTrans: Type.String({ description: 'Description in `language`' }),
    itemResources: Type.Array(ItemResource, {
      description: 'Pictures of the item: the main one first, then the gallery, then SKU pictures',
    }),
  }),
  handler: async ({ deps, body, lang }) => {
    const product = await cachedProduct(deps, 'taobao', body.itemId);
    if (!product) throw notFound('item', body.itemId);
    return {
      itemId: Number(product.productId),
      language: lang,
      title: product.title.zh,
      titleTrans: product.title[lang],
      description: product.description.zh,
      descriptionTrans: product.description[lang],
      itemResources: resources(product, lang),
    };
  },
});
