import { invalidParameter } from '../../../platform/http/errors.js';
import { defineRoute } from '../../../platform/http/route.js';
import { Type } from '../../../platform/http/schema.js';
import { SellerPolicyView, sandboxForChange } from '../sandbox.schemas.js';

export default defineRoute({
  method: 'PUT',
  url: '/sandbox/policy',
  operationId: 'sandboxSetPolicy',
  summary: 'Change how the simulated sellers behave',
  description:
    'Changes the given fields (delays in market milliseconds, rates from 0 to 1); the others keep their values. ' +
    'Send `{"reset": true}` alone to go back to the defaults.',
  tags: ['Sandbox'],
  auth: 'admin',
  errors: [40401, 40901],
  body: Type.Object(
    {
      reset: Type.Optional(Type.Boolean({ description: 'Back to the default policy' })),
      ...Type.Partial(SellerPolicyView).properties,
    },
    { additionalProperties: false },
  ),
  data: SellerPolicyView,
  handler: async ({ deps, body }) => {
    const sandbox = sandboxForChange(deps);
    const { reset, ...change } = body;
    if (reset) return sandbox.policy.reset();
    const { priceModifyPercent: range, ...rest } = change;
    const [low, high] = range ?? [];
    if (range && (low === undefined || high === undefined || low > high)) {
      throw invalidParameter('priceModifyPercent', 'rangeOrder');
    }
    return sandbox.policy.update({
      ...rest,
      ...(low !== undefined && high !== undefined ? { priceModifyPercent: [low, high] as [number, number] } : {}),
    });
  },
});
