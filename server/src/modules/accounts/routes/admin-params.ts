import { Id, Type } from '../../../platform/http/schema.js';

export const DeveloperParams = Type.Object({ developId: Id('Developer id') });
export const KeyParams = Type.Object({
  accessKey: Type.String({
    description: 'Access key',
    pattern: '^[0-9a-f]{32}$',
    examples: ['58c0201dfdf148eca63cbf6bb5e7cf03'],
  }),
});
export const UserParams = Type.Object({ userId: Id('Sub-account id') });
