import { defineRoute } from '../../../platform/http/route.js';
import { ClockView, sandboxOf } from '../sandbox.schemas.js';

export default defineRoute({
  method: 'GET',
  url: '/sandbox/clock',
  operationId: 'sandboxClock',
  summary: 'The market clock',
  tags: ['Sandbox'],
  auth: 'admin',
  errors: [40401],
  data: ClockView,
  handler: async ({ deps }) => sandboxOf(deps).clock.state(),
});
