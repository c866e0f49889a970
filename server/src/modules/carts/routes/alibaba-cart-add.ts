import { defineRoute } from '../../../platform/http/route.js';
import { AlibabaCartAddInput, AlibabaCartItem } from '../alibaba-cart.schemas.js';
import { addAlibaba } from '../alibaba-cart.service.js';
import { MAX_CART_ITEMS } from '../carts.schemas.js';

export default defineRoute({
  method: 'POST',
  url: '/alibaba/cart/add',
  operationId: 'alibabaCartAdd',
  summary: 'Add to the 1688 cart',
  description:
    'Adds `quantity` units of an offer’s specification (`specId`, required when the offer has specifications) to ' +
    'the calling sub-account’s cart. An unknown or delisted offer, or an unknown specification, answers 40401; a ' +
    'stock below the cart’s quantity 42202. The offer’s minimum order quantity is not required here: the list and ' +
    'the preview report it. Adding a specification already in the cart adds to its item’s quantity (at most ' +
    `9999, else 40001). A cart holds at most ${MAX_CART_ITEMS} items (40901 beyond). Answers the item.`,
  tags: ['1688 cart'],
  auth: 'signed',
  mutation: true,
  ownTransactions: true,
  errors: [40401, 40901, 42202, 50201, 50401],
  body: AlibabaCartAddInput,
  data: AlibabaCartItem,
  handler: ({ deps, auth, body, lang }) => addAlibaba(deps, auth, body, lang),
});
