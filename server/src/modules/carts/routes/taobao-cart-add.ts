import { defineRoute } from '../../../platform/http/route.js';
import { MAX_CART_ITEMS } from '../carts.schemas.js';
import { TaobaoCartAddInput, TaobaoCartItem } from '../taobao-cart.schemas.js';
import { addTaobao } from '../taobao-cart.service.js';

export default defineRoute({
  method: 'POST',
  url: '/open/cart/add',
  operationId: 'taobaoCartAdd',
  summary: 'Add to the Taobao cart',
  description:
    'Adds `quantity` units of a distributable SKU (`mpId`, `mpSkuId` as the goods endpoints give them) to the ' +
    'calling sub-account’s cart. The product is read from the market: title, prices and shop in the request are ' +
    'the client’s copy and are ignored. An unknown, delisted or non-distributable product or SKU answers 40401; ' +
    'a stock below the cart’s quantity 42202. Adding a SKU already in the cart adds to its record’s quantity ' +
    `(at most 9999, else 40001). A cart holds at most ${MAX_CART_ITEMS} records (40901 beyond). Answers the ` +
    'record. A cart belongs to one sub-account: the main account has its own too.',
  tags: ['Taobao cart'],
  auth: 'signed',
  mutation: true,
  ownTransactions: true,
  errors: [40401, 40901, 42202, 50201, 50401],
  body: TaobaoCartAddInput,
  data: TaobaoCartItem,
  handler: ({ deps, auth, body, lang }) => addTaobao(deps, auth, body, lang),
});
