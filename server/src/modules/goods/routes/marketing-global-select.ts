import { defineRoute } from '../../../platform/http/route.js';
import {
  AlibabaItem,
  AlibabaPage,
  answerLanguage,
  MarketingBody,
  marketingPage,
  toAlibabaItem,
  toAlibabaPage,
} from '../alibaba.schemas.js';

export default defineRoute({
  method: 'POST',
  url: '/alibaba/marketing/global/select/query',
  operationId: 'alibabaGlobalSelection',
  summary: 'Search 1688 global strict selection goods',
  description:
    'Goods of 1688’s global strict selection: strict-selection (严选) goods picked for overseas buyers, which ' +
    'ship within 24 hours of payment. Search them by `keyword` in any supported language and narrow them like ' +
    'the keyword search (`priceStart`/`priceEnd` in yuan, `categoryId`, `filter`); the most relevant first. ' +
    'Prices in the answer are in fen.',
  tags: ['1688 marketing'],
  auth: 'signed',
  errors: [50201, 50401],
  body: MarketingBody,
  data: AlibabaPage(AlibabaItem, 'Matching goods, the most relevant first'),
  handler: async ({ deps, body, lang }) => {
    const page = await marketingPage(deps, 'global_selection', body);
    const answerLang = answerLanguage(body, lang);
    return toAlibabaPage(page, (item) => toAlibabaItem(item, answerLang));
  },
});
