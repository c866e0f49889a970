import { invalidParameter } from '../../../platform/http/errors.js';
import { defineRoute } from '../../../platform/http/route.js';
import { Int, Type } from '../../../platform/http/schema.js';
import { OpaqueId } from '../../../platform/http/v2/annotations.js';
import {
  AlibabaItem,
  AlibabaPage,
  answerLanguage,
  CategoryFilter,
  CountryField,
  LanguageOrCountryField,
  toAlibabaItem,
  toAlibabaPage,
} from '../alibaba.schemas.js';

const MAX_OFFERS = 20;

export default defineRoute({
  method: 'POST',
  url: '/alibaba/product/recommend/query',
  operationId: 'alibabaRecommend',
  summary: 'Recommend 1688 goods',
  description:
    'Popular goods, best sellers first. Given `offerIds` (goods the buyer looked at or bought), goods of their ' +
    'categories come first; given `categoryId`, only that category. Titles are in Chinese with `subjectTrans` in ' +
    'the requested language; prices are in fen.',
  tags: ['1688 goods'],
  auth: 'signed',
  errors: [50201, 50401],
  body: Type.Object(
    {
      offerIds: Type.Optional(
        // On v2 each entry may be one opaque id instead (a comma-separated string holds v1 ids only).
        Type.Array(
          OpaqueId(
            'alibaba-offer',
            Type.String({ pattern: '^\\s*([0-9]{1,20}(\\s*,\\s*[0-9]{1,20})*)?\\s*$', maxLength: 500 }),
          ),
          {
            maxItems: MAX_OFFERS,
            description:
              `Up to ${MAX_OFFERS} offer ids to recommend around: an array of ids (integers or digit strings), ` +
              'or one comma-separated string',
            examples: [['700040000003', '700040000011']],
          },
        ),
      ),
      categoryId: CategoryFilter,
      pageNo: Type.Optional(Int('Page number, from 1 (default 1)', 1, 100_000, 1)),
      pageSize: Type.Optional(Int('Results per page, 1 to 50 (default 20)', 1, 50, 20)),
      language: LanguageOrCountryField,
      country: CountryField,
    },
    { additionalProperties: false },
  ),
  data: AlibabaPage(AlibabaItem, 'Recommended goods'),
  handler: async ({ deps, body, lang }) => {
    const offerIds = (body.offerIds ?? []).flatMap((s) => s.split(',').map((id) => id.trim())).filter(Boolean);
    if (offerIds.length > MAX_OFFERS) throw invalidParameter('offerIds', 'atMostIds', { max: MAX_OFFERS });
    const categoryId = body.categoryId && body.categoryId !== '0' ? body.categoryId : undefined;
    const page = await deps.market.alibaba.recommend({
      ...(offerIds.length ? { productIds: [...new Set(offerIds)] } : {}),
      ...(categoryId ? { categoryId } : {}),
      page: body.pageNo ?? 1,
      pageSize: body.pageSize ?? 20,
    });
    const answerLang = answerLanguage(body, lang);
    return toAlibabaPage(page, (item) => toAlibabaItem(item, answerLang));
  },
});
