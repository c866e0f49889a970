import { defineRoute } from '../../../platform/http/route.js';
import { SellerPolicyView, sandboxOf } from '../sandbox.schemas.js';

export default defineRoute({
  method: 'GET',
  url: '/sandbox/policy',
  operationId: 'sandboxPolicy',
  summary: 'How the simulated sellers behave',
  tags: ['Sandbox'],
  auth: 'admin',
  errors: [40401],
  data: SellerPolicyView,
  handler: async ({ deps }) => sandboxOf(deps).policy.get(),
});
