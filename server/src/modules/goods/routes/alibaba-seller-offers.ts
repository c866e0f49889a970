import { notFound } from '../../../platform/http/errors.js';
import { defineRoute } from '../../../platform/http/route.js';
import { Type } from '../../../platform/http/schema.js';
import {
  AlibabaItem,
  AlibabaPage,
  answerLanguage,
  KeywordField,
  readSearch,
  SearchFields,
  SellerOpenId,
  searchOffers,
} from '../alibaba.schemas.js';

export default defineRoute({
  method: 'POST',
  url: '/alibaba/product/query/selleroffer',
  operationId: 'alibabaSellerOffers',
  summary: 'Search the goods of one 1688 supplier',
  description:
    'The keyword search (`/alibaba/product/keywords/query`) within one supplier’s shop, named by its ' +
    '`sellerOpenId`; without a keyword, every good of the shop that passes the filters. An unknown ' +
    '`sellerOpenId` answers 40401. Prices in the answer are in fen.',
  tags: ['1688 goods'],
  auth: 'signed',
  errors: [40401, 50201, 50401],
  body: Type.Object(
    { keyword: KeywordField, ...SearchFields, sellerOpenId: SellerOpenId },
    { additionalProperties: false },
  ),
  data: AlibabaPage(AlibabaItem, 'The supplier’s matching goods, in the asked order'),
  handler: async ({ deps, body, lang }) => {
    const query = readSearch(body);
    const supplier = await deps.market.alibaba.getSupplier(body.sellerOpenId);
    if (!supplier) throw notFound('seller', body.sellerOpenId);
    return searchOffers(deps, { ...query, shopId: supplier.shopId }, answerLanguage(body, lang));
  },
});
