import { defineRoute } from '../../../platform/http/route.js';
import { Int, Strict, Type } from '../../../platform/http/schema.js';
import { ClockView, sandboxForChange } from '../sandbox.schemas.js';

export default defineRoute({
  method: 'POST',
  url: '/sandbox/clock/advance',
  operationId: 'sandboxAdvanceClock',
  summary: 'Advance the market clock',
  description:
    'Moves market time forward, then runs everything that fell due meanwhile (shipping, tracking steps, seller ' +
    'decisions, timeouts) in market-time order and delivers the resulting upstream events before answering. ' +
    '`seconds: 0` just runs what is due now.',
  tags: ['Sandbox'],
  auth: 'admin',
  errors: [40401, 40901],
  body: Strict({ seconds: Int('Market seconds to advance by', 0, 10 * 365 * 86_400, 3600) }),
  data: Type.Object({ ...ClockView.properties, actions: Int('Seller and clock actions run', 0, 1e12) }),
  handler: async ({ deps, body }) => sandboxForChange(deps).advance(body.seconds * 1000),
});
