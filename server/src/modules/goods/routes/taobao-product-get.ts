import { notFound } from '../../../platform/http/errors.js';
import type { Language } from '../../../platform/http/i18n.js';
import { defineRoute, PreSerialized } from '../../../platform/http/route.js';
import { LanguageField, Type } from '../../../platform/http/schema.js';
import { OpaqueId } from '../../../platform/http/v2/annotations.js';
import type { ProviderProduct } from '../../../providers/types.js';
import { cachedProduct } from '../goods.cache.js';
import { TaobaoProduct, toTaobaoProduct } from '../taobao.schemas.js';

const serialised = new WeakMap<ProviderProduct, Map<Language, PreSerialized<TaobaoProductData>>>();
type TaobaoProductData = ReturnType<typeof toTaobaoProduct>;

export default defineRoute({
  method: 'GET',
  url: '/open/product/get',
  operationId: 'taobaoGetProduct',
  summary: 'Query goods by Taobao item id',
  description:
    'The item with its SKUs, pictures, prices (fen), stock and distribution id. Titles, descriptions, category and ' +
    'SKU property names are in Chinese, with the `…Trans` fields in `language`. Details are cached for ' +
    '`GOODS_CACHE_SECONDS`; a change of the item upstream drops the cached copy.',
  tags: ['Taobao goods'],
  auth: 'signed',
  errors: [40401, 50201, 50401],
  query: Type.Object(
    {
      itemId: OpaqueId(
        'taobao-item',
        Type.String({ pattern: '^[0-9]{1,20}$', description: 'Taobao item id', examples: ['672991141190'] }),
      ),
      language: LanguageField,
    },
    { additionalProperties: false },
  ),
  data: TaobaoProduct,
  handler: async ({ deps, query, lang }) => {
    const product = await cachedProduct(deps, 'taobao', query.itemId);
    if (!product) throw notFound('item', query.itemId);
    // A cached product is the same object until it changes: its answer is serialised once per language.
    let byLanguage = serialised.get(product);
    if (!byLanguage) {
      byLanguage = new Map();
      serialised.set(product, byLanguage);
    }
    let answer = byLanguage.get(lang);
    if (!answer) {
      answer = PreSerialized.of(toTaobaoProduct(product, lang));
      byLanguage.set(lang, answer);
    }
    return answer;
  },
});
