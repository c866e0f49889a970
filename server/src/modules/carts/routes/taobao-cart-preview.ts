import { defineRoute } from '../../../platform/http/route.js';
import { TaobaoCartPreview, TaobaoCartPreviewInput } from '../taobao-cart.schemas.js';
import { previewTaobao } from '../taobao-cart.service.js';

export default defineRoute({
  method: 'POST',
  url: '/open/cart/preview/order',
  operationId: 'taobaoCartPreviewOrder',
  summary: 'Preview an order of Taobao cart records',
  description:
    'What ordering the records would cost today, from the market: one group per seller (an order makes one seller ' +
    'order of each) with unit prices, amounts, domestic shipping to the warehouse and totals, in fen. A line that ' +
    'cannot be ordered carries its `problem` (`not_found`, `delisted`, `out_of_stock`, `below_min_quantity`) and ' +
    'its text, and counts in no amount; `totalAmount` is the orderable lines’ cost and `canOrder` says whether ' +
    'every line can be ordered. An id that is not one of the calling sub-account’s records answers 40401.',
  tags: ['Taobao cart'],
  auth: 'signed',
  errors: [40401, 50201, 50401],
  body: TaobaoCartPreviewInput,
  data: TaobaoCartPreview,
  handler: ({ deps, db, auth, body, lang }) => previewTaobao(deps, db, auth, body, lang),
});
