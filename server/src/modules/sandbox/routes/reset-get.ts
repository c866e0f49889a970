import { ApiError } from '../../../platform/http/errors.js';
import { defineRoute } from '../../../platform/http/route.js';
import { Text, Type } from '../../../platform/http/schema.js';
import { sandboxOf } from '../sandbox.schemas.js';
import { ResetJobView, toResetJobView } from './reset.js';

export default defineRoute({
  method: 'GET',
  url: '/sandbox/reset/:jobId',
  operationId: 'sandboxResetJob',
  summary: 'Follow a reset of the market',
  description:
    'The state and progress of a reset started with `POST /sandbox/reset`. Jobs live in the memory of the process ' +
    'that runs them, the last 20 of them; another process, or a restarted one, answers 40401.',
  tags: ['Sandbox'],
  auth: 'admin',
  errors: [40401],
  params: Type.Object({ jobId: Text('The reset’s jobId', 64, '5f0c3a9e2b7d4c1e8a6f0b3d2c4e6a8f', 1) }),
  data: ResetJobView,
  handler: async ({ deps, params }) => {
    const job = sandboxOf(deps).resets.get(params.jobId);
    if (!job) throw new ApiError(40401, { what: `reset ${params.jobId}` });
    return toResetJobView(job);
  },
});
