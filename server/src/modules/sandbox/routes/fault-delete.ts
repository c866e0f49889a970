import { defineRoute } from '../../../platform/http/route.js';
import { Int, Type } from '../../../platform/http/schema.js';
import { sandboxForChange } from '../sandbox.schemas.js';
import { OperationParams } from './fault-put.js';

export default defineRoute({
  method: 'DELETE',
  url: '/sandbox/faults/:operation',
  operationId: 'sandboxClearFault',
  summary: 'Remove the fault of one operation',
  tags: ['Sandbox'],
  auth: 'admin',
  errors: [40401, 40901],
  params: OperationParams,
  data: Type.Object({ removed: Int('Faults removed', 0, 1) }),
  handler: async ({ deps, params }) => ({ removed: sandboxForChange(deps).faults.clear(params.operation) }),
});
