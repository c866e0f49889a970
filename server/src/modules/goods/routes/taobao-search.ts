import { defineRoute } from '../../../platform/http/route.js';
import { LanguageField, Type } from '../../../platform/http/schema.js';
import {
  GoodsPageNo,
  goodsPageSize,
  Paged,
  SearchFilterFields,
  toPaged,
  toSearchFilters,
  toSearchSort,
} from '../goods.schemas.js';
import { TAOBAO_SORT_ALIASES, TaobaoListItem, TaobaoSort, toTaobaoListItem } from '../taobao.schemas.js';

export default defineRoute({
  method: 'POST',
  url: '/open/product/item/search',
  operationId: 'taobaoSearch',
  summary: 'Search Taobao goods by keyword',
  description:
    'Goods whose title matches `keyword`, written in any of the supported languages (Chinese, English, ' +
    'Vietnamese, Thai, Spanish). An empty or omitted keyword lists every good that passes the filters. Filter by ' +
    'price range (`priceStart`/`priceEnd`, fen), category and 24-hour shipping; sort by relevance, price or sales. ' +
    'Titles are in Chinese with `titleTrans` in `language`; prices are in fen.',
  tags: ['Taobao goods'],
  auth: 'signed',
  errors: [50201, 50401],
  body: Type.Object(
    {
      keyword: Type.Optional(
        Type.String({ maxLength: 200, description: 'Words to look for in titles', examples: ['电动车'] }),
      ),
      pageNo: GoodsPageNo,
      pageSize: goodsPageSize(40, 20),
      sort: TaobaoSort,
      ...SearchFilterFields,
      language: LanguageField,
    },
    { additionalProperties: false },
  ),
  data: Paged(TaobaoListItem, 'Matching goods, in the asked order'),
  handler: async ({ deps, body, lang }) => {
    const page = await deps.market.taobao.search({
      keyword: body.keyword?.trim() ?? '',
      sort: toSearchSort(body.sort, TAOBAO_SORT_ALIASES),
      page: body.pageNo ?? 1,
      pageSize: body.pageSize ?? 20,
      ...toSearchFilters(body),
    });
    return toPaged(page, (item) => toTaobaoListItem(item, lang));
  },
});
