import { defineRoute } from '../../../platform/http/route.js';
import { Type } from '../../../platform/http/schema.js';
import {
  AlibabaItem,
  AlibabaPage,
  answerLanguage,
  KeywordField,
  readSearch,
  SearchFields,
  searchOffers,
} from '../alibaba.schemas.js';

export default defineRoute({
  method: 'POST',
  url: '/alibaba/product/keywords/query',
  operationId: 'alibabaKeywordQuery',
  summary: 'Search 1688 goods by keyword',
  description:
    'Goods whose title matches `keyword`, written in any supported language (Chinese, English, Vietnamese, Thai, ' +
    'Spanish). Narrow by wholesale price (`priceStart`/`priceEnd`, yuan strings such as `"633.69"`), category and ' +
    '`filter` (`shipInToday`); order by `sort` (`{"price":"asc"}`, `{"price":"desc"}`, `{"sales":"desc"}`). ' +
    'Titles are in Chinese with `subjectTrans` in `country` (a language); prices in the answer are in fen.',
  tags: ['1688 goods'],
  auth: 'signed',
  errors: [50201, 50401],
  body: Type.Object({ keyword: KeywordField, ...SearchFields }, { additionalProperties: false }),
  data: AlibabaPage(AlibabaItem, 'Matching goods, in the asked order'),
  handler: async ({ deps, body, lang }) => searchOffers(deps, readSearch(body), answerLanguage(body, lang)),
});
