import { defineRoute } from '../../../platform/http/route.js';
import { Int, Strict, Type } from '../../../platform/http/schema.js';
import { sandboxOf } from '../sandbox.schemas.js';

export default defineRoute({
  method: 'POST',
  url: '/sandbox/reset',
  operationId: 'sandboxReset',
  summary: 'Reset and reseed the market',
  description:
    'Generates the catalog again (the same seed and size give the same catalog, byte for byte) and forgets every ' +
    'order, refund, event, fault and clock offset. Omitted fields keep the current catalog’s values. Large catalogs ' +
    'are better seeded with `ponte sandbox seed` while the server is stopped.',
  tags: ['Sandbox'],
  auth: 'admin',
  errors: [40401],
  body: Type.Optional(
    Strict({
      goods: Type.Optional(Int('Goods per platform', 1, 200_000, 1000)),
      seed: Type.Optional(Int('Random seed', 1, 2_147_483_647, 1)),
    }),
  ),
  data: Type.Object({
    seed: Int('Seed', 1, 2_147_483_647),
    goodsPerPlatform: Int('Goods per platform', 1, 10_000_000),
    tookMs: Int('How long seeding took', 0, Number.MAX_SAFE_INTEGER),
  }),
  handler: async ({ deps, body }) => {
    const sandbox = sandboxOf(deps);
    const current = sandbox.seededWith() ?? {
      seed: deps.config.sandbox.seed,
      goodsPerPlatform: deps.config.sandbox.goods,
    };
    const params = { seed: body?.seed ?? current.seed, goodsPerPlatform: body?.goods ?? current.goodsPerPlatform };
    const started = Date.now();
    await sandbox.stop();
    sandbox.reseed(params);
    if (deps.config.runWorkers) sandbox.start();
    return { ...params, tookMs: Date.now() - started };
  },
});
