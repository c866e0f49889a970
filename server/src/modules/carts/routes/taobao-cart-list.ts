import { defineRoute } from '../../../platform/http/route.js';
import { LanguageField, Type } from '../../../platform/http/schema.js';
import { TaobaoCartList } from '../taobao-cart.schemas.js';
import { listTaobao } from '../taobao-cart.service.js';

export default defineRoute({
  method: 'GET',
  url: '/open/cart/list',
  operationId: 'taobaoCartList',
  summary: 'List the Taobao cart',
  description:
    'The calling sub-account’s cart with today’s title, prices and stock read from the market, titles in Chinese ' +
    'with the translation in the request language beside. Records that can be ordered are grouped by shop; the ' +
    'others (`not_found`, `not_distributable`, `delisted`, `sku_not_found`, `out_of_stock`, ' +
    '`stock_below_quantity`, `below_min_quantity`) are listed apart in `invalidList` with their `reason` and its ' +
    'text.',
  tags: ['Taobao cart'],
  auth: 'signed',
  errors: [50201, 50401],
  query: Type.Object({ language: LanguageField }, { additionalProperties: false }),
  data: TaobaoCartList,
  handler: ({ deps, db, auth, lang }) => listTaobao(deps, db, auth, lang),
});
