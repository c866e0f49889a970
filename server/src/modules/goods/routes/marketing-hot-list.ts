import { defineRoute } from '../../../platform/http/route.js';
import { Int, Type } from '../../../platform/http/schema.js';
import {
  AlibabaItem,
  AlibabaPage,
  answerLanguage,
  MarketingBody,
  marketingPage,
  toAlibabaItem,
  toAlibabaPage,
} from '../alibaba.schemas.js';

const HotItem = Type.Object({
  rank: Int('Position in the list over all pages, from 1 (the best seller)', 1, Number.MAX_SAFE_INTEGER),
  ...AlibabaItem.properties,
});

export default defineRoute({
  method: 'POST',
  url: '/alibaba/marketing/hot/list',
  operationId: 'alibabaHotList',
  summary: 'List 1688 best sellers',
  description:
    'The 1688 goods that sell the most, ranked by units sold (`monthSold`), each with its `rank`. Narrow the ' +
    'list by `keyword` in any supported language and like the keyword search (`priceStart`/`priceEnd` in yuan, ' +
    '`categoryId`, `filter`). Prices in the answer are in fen.',
  tags: ['1688 marketing'],
  auth: 'signed',
  errors: [50201, 50401],
  body: MarketingBody,
  data: AlibabaPage(HotItem, 'Best sellers, the best first'),
  handler: async ({ deps, body, lang }) => {
    const page = await marketingPage(deps, 'hot_selling', body);
    const answerLang = answerLanguage(body, lang);
    return toAlibabaPage(page, (item, rank) => ({ rank, ...toAlibabaItem(item, answerLang) }));
  },
});
