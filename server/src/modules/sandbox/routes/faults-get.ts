import { defineRoute } from '../../../platform/http/route.js';
import { Type } from '../../../platform/http/schema.js';
import { FaultView, sandboxOf } from '../sandbox.schemas.js';

export default defineRoute({
  method: 'GET',
  url: '/sandbox/faults',
  operationId: 'sandboxFaults',
  summary: 'List injected faults',
  tags: ['Sandbox'],
  auth: 'admin',
  errors: [40401],
  data: Type.Object({ list: Type.Array(FaultView) }),
  handler: async ({ deps }) => ({ list: sandboxOf(deps).faults.list() }),
});
