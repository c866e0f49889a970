import { defineRoute } from '../../../platform/http/route.js';
import { Id, Type } from '../../../platform/http/schema.js';
import { Address, listAddresses, toAddress } from '../addresses.js';

export default defineRoute({
  method: 'POST',
  url: '/open/address/get',
  operationId: 'getAddresses',
  summary: 'Get the sub-account’s addresses',
  description:
    'The calling sub-account’s receiving addresses, the default first, then the newest; with `id`, only that ' +
    'one (a list of one). Another sub-account’s or an unknown id answers 40401: addresses belong to one ' +
    'sub-account, and the main account sees only its own too.',
  tags: ['Addresses'],
  auth: 'signed',
  errors: [40401],
  body: Type.Object(
    {
      id: Type.Optional(
        Type.Union([Id('One address to read; 0 or absent: all of them', '1795432287562383362'), Type.Null()], {
          description: 'One address to read; 0, null or absent: all of the sub-account’s addresses',
        }),
      ),
    },
    { additionalProperties: false },
  ),
  data: Type.Array(Address, { description: 'The addresses, the default first, then the newest' }),
  handler: async ({ db, auth, body }) => {
    const id = body.id && !/^0+$/.test(body.id) ? body.id : undefined;
    return (await listAddresses(db, auth, id)).map(toAddress);
  },
});
