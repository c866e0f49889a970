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

const NARROWING =
  'Search them by `keyword` in any supported language and narrow them like the keyword search ' +
  '(`priceStart`/`priceEnd` in yuan, `categoryId`, `filter`); the most relevant first. Prices in the answer are in fen.';

/** The two strict-selection lists (A32, A33) differ only in which goods they hold. */
export function selectionRoute(spec: {
  list: 'global_selection' | 'strict_selection';
  url: string;
  operationId: string;
  summary: string;
  /** Which goods the list holds. */
  holds: string;
}) {
  return defineRoute({
    method: 'POST',
    url: spec.url,
    operationId: spec.operationId,
    summary: spec.summary,
    description: `${spec.holds} ${NARROWING}`,
    tags: ['1688 marketing'],
    auth: 'signed',
    errors: [50201, 50401],
    body: MarketingBody,
    data: AlibabaPage(AlibabaItem, 'Matching goods, the most relevant first'),
    handler: async ({ deps, body, lang }) => {
      const page = await marketingPage(deps, spec.list, body);
      const answerLang = answerLanguage(body, lang);
      return toAlibabaPage(page, (item) => toAlibabaItem(item, answerLang));
    },
  });
}
