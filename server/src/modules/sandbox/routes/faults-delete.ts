import { defineRoute } from '../../../platform/http/route.js';
import { Int, Type } from '../../../platform/http/schema.js';
import { sandboxOf } from '../sandbox.schemas.js';

export default defineRoute({
  method: 'DELETE',
  url: '/sandbox/faults',
  operationId: 'sandboxClearFaults',
  summary: 'Remove every injected fault',
  tags: ['Sandbox'],
  auth: 'admin',
  errors: [40401],
  data: Type.Object({ removed: Int('Faults removed', 0, 1000) }),
  handler: async ({ deps }) => ({ removed: sandboxOf(deps).faults.clear() }),
});
