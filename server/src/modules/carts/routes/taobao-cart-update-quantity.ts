import { defineRoute } from '../../../platform/http/route.js';
import { LanguageField, Type } from '../../../platform/http/schema.js';
import { CartId, Quantity } from '../carts.schemas.js';
import { TaobaoCartItem } from '../taobao-cart.schemas.js';
import { updateTaobaoQuantity } from '../taobao-cart.service.js';

export default defineRoute({
  method: 'POST',
  url: '/open/cart/update/quantity',
  operationId: 'taobaoCartUpdateQuantity',
  summary: 'Edit the quantity of a Taobao cart record',
  description:
    'Sets the record’s quantity (1 to 9999), checked against today’s stock (42202 above it). A record that is ' +
    'not the calling sub-account’s answers 40401, as does one whose product or SKU can no longer be bought. ' +
    'Answers the record.',
  tags: ['Taobao cart'],
  auth: 'signed',
  mutation: true,
  ownTransactions: true,
  errors: [40401, 42202, 50201, 50401],
  body: Type.Object(
    { id: CartId('The cart record'), quantity: Quantity('The new quantity', 3), language: LanguageField },
    { additionalProperties: false },
  ),
  data: TaobaoCartItem,
  handler: ({ deps, auth, body, lang }) => updateTaobaoQuantity(deps, auth, body.id, body.quantity, lang),
});
