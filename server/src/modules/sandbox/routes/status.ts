import { defineRoute } from '../../../platform/http/route.js';
import { Int, Type } from '../../../platform/http/schema.js';
import { ClockView, FaultView, sandboxOf } from '../sandbox.schemas.js';

const Counts = Type.Object({
  goods: Int('Goods', 0, Number.MAX_SAFE_INTEGER),
  shops: Int('Shops or suppliers', 0, Number.MAX_SAFE_INTEGER),
  orders: Int('Orders', 0, Number.MAX_SAFE_INTEGER),
  refunds: Int('Refunds', 0, Number.MAX_SAFE_INTEGER),
});

export default defineRoute({
  method: 'GET',
  url: '/sandbox/status',
  operationId: 'sandboxStatus',
  summary: 'The sandbox market at a glance',
  description:
    'The catalog it was seeded with, its clock, counts per platform, injected faults and undelivered events.',
  tags: ['Sandbox'],
  auth: 'admin',
  errors: [40401],
  data: Type.Object({
    catalog: Type.Object({
      seed: Int('Seed', 0, 2_147_483_647),
      goodsPerPlatform: Int('Goods per platform', 0, 10_000_000),
    }),
    clock: ClockView,
    taobao: Counts,
    alibaba: Counts,
    faults: Type.Array(FaultView),
    undeliveredEvents: Int('Events not yet delivered to the platform', 0, Number.MAX_SAFE_INTEGER),
  }),
  handler: async ({ deps }) => sandboxOf(deps).status(),
});
