import { defineRoute } from '../../../platform/http/route.js';
import { Strict, Text, Type } from '../../../platform/http/schema.js';
import { Developer, IssuedKey, SubAccount, toDeveloper, toSubAccount } from '../accounts.schemas.js';
import { createDeveloper } from '../accounts.service.js';

export default defineRoute({
  method: 'POST',
  url: '/admin/developers',
  operationId: 'adminCreateDeveloper',
  summary: 'Create a developer',
  description:
    'Creates a developer with its main sub-account and a first access key. The secret is shown only in this reply.',
  tags: ['Admin'],
  auth: 'admin',
  mutation: true,
  body: Strict({
    name: Text('Company or developer name', 128, 'Saigon Sourcing Co.', 1),
    email: Type.Optional(
      Type.String({ format: 'email', maxLength: 254, description: 'Contact e-mail', examples: ['ops@example.com'] }),
    ),
  }),
  data: Type.Object({ developer: Developer, mainAccount: SubAccount, key: IssuedKey }),
  handler: async ({ deps, db, body }) => {
    const { developer, main, key } = await createDeveloper(deps, db, body);
    return { developer: toDeveloper(developer), mainAccount: toSubAccount(main), key };
  },
});
