import { defineRoute } from '../../../platform/http/route.js';
import { LanguageField, Type } from '../../../platform/http/schema.js';
import { AlibabaCartItem, CountryField } from '../alibaba-cart.schemas.js';
import { updateAlibabaQuantity } from '../alibaba-cart.service.js';
import { CartId, Quantity } from '../carts.schemas.js';

export default defineRoute({
  method: 'POST',
  url: '/alibaba/cart/update/quantity',
  operationId: 'alibabaCartUpdateQuantity',
  summary: 'Edit the quantity of a 1688 cart item',
  description:
    'Sets the item’s quantity (1 to 9999), checked against today’s stock (42202 above it); the minimum order ' +
    'quantity is not required here. An item that is not the calling sub-account’s answers 40401, as does one ' +
    'whose offer or specification can no longer be bought. Answers the item.',
  tags: ['1688 cart'],
  auth: 'signed',
  mutation: true,
  ownTransactions: true,
  errors: [40401, 42202, 50201, 50401],
  body: Type.Object(
    {
      cartId: CartId('The cart item'),
      quantity: Quantity('The new quantity', 20),
      country: CountryField,
      language: LanguageField,
    },
    { additionalProperties: false },
  ),
  data: AlibabaCartItem,
  handler: ({ deps, auth, body, lang }) => updateAlibabaQuantity(deps, auth, body.cartId, body.quantity, lang),
});
