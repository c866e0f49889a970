import { notFound } from '../../../platform/http/errors.js';
import { defineRoute } from '../../../platform/http/route.js';
import { Int, Type } from '../../../platform/http/schema.js';
import { OpaqueId } from '../../../platform/http/v2/annotations.js';
import {
  AlibabaItem,
  AlibabaPage,
  answerLanguage,
  CountryField,
  LanguageOrCountryField,
  toAlibabaItem,
  toAlibabaPage,
} from '../alibaba.schemas.js';

export default defineRoute({
  method: 'POST',
  url: '/alibaba/product/productRelatedRecommendQuery',
  operationId: 'alibabaRelated',
  summary: 'Goods related to a 1688 good',
  description:
    'Goods like the given one: the most similar pictures of its category first, then goods of its category ' +
    'sharing the most title words. Never the good itself. An unknown `offerId` answers 40401 (on v1 ids are the ' +
    'numeric offer ids, and an opaque id of the v2 API is accepted and answers 40401; v2 takes both). Prices are in ' +
    'fen.',
  tags: ['1688 goods'],
  auth: 'signed',
  errors: [40401, 50201, 50401],
  body: Type.Object(
    {
      offerId: OpaqueId(
        'alibaba-offer',
        Type.String({
          minLength: 1,
          maxLength: 64,
          pattern: '^[A-Za-z0-9_-]+$',
          description: '1688 offer id (an integer, or its digits in a string)',
          examples: ['700040000003'],
        }),
      ),
      pageNo: Type.Optional(Int('Page number, from 1 (default 1)', 1, 100_000, 1)),
      pageSize: Type.Optional(Int('Results per page, 1 to 50 (default 10)', 1, 50, 10)),
      language: LanguageOrCountryField,
      country: CountryField,
    },
    { additionalProperties: false },
  ),
  data: AlibabaPage(AlibabaItem, 'Related goods, the closest first'),
  handler: async ({ deps, body, lang }) => {
    const page = await deps.market.alibaba.related(body.offerId, {
      page: body.pageNo ?? 1,
      pageSize: body.pageSize ?? 10,
    });
    if (!page) throw notFound('offer', body.offerId);
    const answerLang = answerLanguage(body, lang);
    return toAlibabaPage(page, (item) => toAlibabaItem(item, answerLang));
  },
});
