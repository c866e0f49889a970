import { defineRoute } from '../../../platform/http/route.js';
import { LanguageField, Type } from '../../../platform/http/schema.js';
import { AlibabaCartList, CountryField } from '../alibaba-cart.schemas.js';
import { listAlibaba } from '../alibaba-cart.service.js';

export default defineRoute({
  method: 'GET',
  url: '/alibaba/cart/list',
  operationId: 'alibabaCartList',
  summary: 'List the 1688 cart',
  description:
    'The calling sub-account’s cart (`AlibabaCartV2VO`; an item’s offer is `offerId` on v1, `offerMapId` on v2), items ' +
    'grouped by supplier, with today’s title, stock and price from the market: the price of one unit at the ' +
    'quantity tier the item’s quantity reaches, in fen. Items that can be ordered are in `enableList`; the others ' +
    'in `disableList`, with their `reason` and its text (an item below the offer’s minimum order quantity among ' +
    'them).',
  tags: ['1688 cart'],
  auth: 'signed',
  errors: [50201, 50401],
  query: Type.Object({ country: CountryField, language: LanguageField }, { additionalProperties: false }),
  data: AlibabaCartList,
  handler: ({ deps, db, auth, lang }) => listAlibaba(deps, db, auth, lang),
});
