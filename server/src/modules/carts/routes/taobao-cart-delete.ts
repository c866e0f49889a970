import { defineRoute } from '../../../platform/http/route.js';
import { LanguageField, Type } from '../../../platform/http/schema.js';
import { CartIds } from '../carts.schemas.js';
import { deleteOwn } from '../carts.service.js';

export default defineRoute({
  method: 'POST',
  url: '/open/cart/delete',
  operationId: 'taobaoCartDelete',
  summary: 'Delete Taobao cart records',
  description:
    'Deletes the records, all or none: an id that is not one of the calling sub-account’s Taobao records answers ' +
    '40401 and nothing is deleted.',
  tags: ['Taobao cart'],
  auth: 'signed',
  mutation: true,
  errors: [40401],
  body: Type.Object(
    { ids: CartIds('The records to delete'), language: LanguageField },
    { additionalProperties: false },
  ),
  data: Type.Object({
    ids: Type.Array(Type.String(), { description: 'The deleted records (an id given twice once)' }),
  }),
  handler: async ({ db, auth, body }) => ({ ids: await deleteOwn(db, auth, 'taobao', body.ids) }),
});
