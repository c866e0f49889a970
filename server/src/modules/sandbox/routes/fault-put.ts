import { defineRoute } from '../../../platform/http/route.js';
import { Int, Strict, Type } from '../../../platform/http/schema.js';
import { PROVIDER_OPERATIONS } from '../../../providers/market.js';
import { FaultView, sandboxForChange } from '../sandbox.schemas.js';

export const OperationParams = Type.Object({
  operation: Type.Enum(['*', ...Object.keys(PROVIDER_OPERATIONS)], {
    description: 'The provider operation, or `*` for every operation without a fault of its own',
  }),
});

export default defineRoute({
  method: 'PUT',
  url: '/sandbox/faults/:operation',
  operationId: 'sandboxSetFault',
  summary: 'Inject a fault into a provider operation',
  description:
    'From the next call on, the operation waits `latencyMs`, then fails with 50201 in `errorRate` of the calls or ' +
    'never answers (so the caller’s deadline answers 50401) in `timeoutRate` of them, or takes effect and then ' +
    'never answers in `lostReplyRate` of them (the platform then asks the marketplace what happened). Contract ' +
    'endpoints that use the operation answer those codes in the envelope.',
  tags: ['Sandbox'],
  auth: 'admin',
  errors: [40401, 40901],
  params: OperationParams,
  body: Strict({
    errorRate: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'Share of calls failing with 50201' })),
    timeoutRate: Type.Optional(
      Type.Number({ minimum: 0, maximum: 1, description: 'Share of calls that never answer' }),
    ),
    lostReplyRate: Type.Optional(
      Type.Number({ minimum: 0, maximum: 1, description: 'Share of calls that take effect but never answer' }),
    ),
    latencyMs: Type.Optional(Int('Latency added to every call, ms', 0, 600_000, 0)),
  }),
  data: FaultView,
  handler: async ({ deps, params, body }) => {
    const fault = {
      operation: params.operation,
      errorRate: body.errorRate ?? 0,
      timeoutRate: body.timeoutRate ?? 0,
      lostReplyRate: body.lostReplyRate ?? 0,
      latencyMs: body.latencyMs ?? 0,
    };
    sandboxForChange(deps).faults.set(fault);
    return fault;
  },
});
