import { defineRoute } from '../../../platform/http/route.js';
import { Int, Type } from '../../../platform/http/schema.js';
import { sandboxForChange } from '../sandbox.schemas.js';

export default defineRoute({
  method: 'DELETE',
  url: '/sandbox/faults',
  operationId: 'sandboxClearFaults',
  summary: 'Remove every injected fault',
  tags: ['Sandbox'],
  auth: 'admin',
  errors: [40401, 40901],
  data: Type.Object({ removed: Int('Faults removed', 0, 1000) }),
  handler: async ({ deps }) => ({ removed: sandboxForChange(deps).faults.clear() }),
});
