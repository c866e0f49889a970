import { defineRoute } from '../../../platform/http/route.js';
import { Strict, Type } from '../../../platform/http/schema.js';
import { ClockView, sandboxForChange } from '../sandbox.schemas.js';

export default defineRoute({
  method: 'PUT',
  url: '/sandbox/clock',
  operationId: 'sandboxSetClockSpeed',
  summary: 'Set the market clock’s speed',
  description: 'Market milliseconds per real millisecond: 1 is real time, 60 makes an hour pass in a minute.',
  tags: ['Sandbox'],
  auth: 'admin',
  errors: [40401, 40901],
  body: Strict({
    speed: Type.Number({ minimum: 0.001, maximum: 1_000_000, description: 'Clock speed', examples: [60] }),
  }),
  data: ClockView,
  handler: async ({ deps, body }) => sandboxForChange(deps).clock.setSpeed(body.speed),
});
