import { defineRoute } from '../../../platform/http/route.js';
import { LanguageField, Type } from '../../../platform/http/schema.js';
import { CountryField } from '../alibaba-cart.schemas.js';
import { CartIds } from '../carts.schemas.js';
import { deleteOwn } from '../carts.service.js';

export default defineRoute({
  method: 'POST',
  url: '/alibaba/cart/delete',
  operationId: 'alibabaCartDelete',
  summary: 'Delete 1688 cart items',
  description:
    'Deletes the items, all or none: an id that is not one of the calling sub-account’s 1688 items answers 40401 ' +
    'and nothing is deleted.',
  tags: ['1688 cart'],
  auth: 'signed',
  mutation: true,
  errors: [40401],
  body: Type.Object(
    { cartIds: CartIds('The items to delete'), country: CountryField, language: LanguageField },
    { additionalProperties: false },
  ),
  data: Type.Object({
    cartIds: Type.Array(Type.String(), { description: 'The deleted items (an id given twice once)' }),
  }),
  handler: async ({ db, auth, body }) => ({ cartIds: await deleteOwn(db, auth, '1688', body.cartIds) }),
});
