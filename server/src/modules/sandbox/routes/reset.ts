import { defineRoute } from '../../../platform/http/route.js';
import { EpochMs, Int, Strict, Text, Type } from '../../../platform/http/schema.js';
import type { ResetJob } from '../../../providers/sandbox/reset-jobs.js';
import { sandboxForChange } from '../sandbox.schemas.js';

const Count = (description: string) => Int(description, 0, 20_000_000);

/** A reset as `POST /sandbox/reset` and `GET /sandbox/reset/{jobId}` answer it. */
export const ResetJobView = Type.Object({
  jobId: Text('The reset, to follow at `GET /sandbox/reset/{jobId}`', 64, '5f0c3a9e2b7d4c1e8a6f0b3d2c4e6a8f', 1),
  state: Type.Union([Type.Literal('running'), Type.Literal('done'), Type.Literal('failed')], {
    description: '`running`, `done` (the new catalog is in place) or `failed` (the old one stays)',
  }),
  seed: Int('Seed', 1, 2_147_483_647),
  goodsPerPlatform: Int('Goods per platform', 1, 10_000_000),
  seededGoods: Count('Goods written so far, both platforms together'),
  totalGoods: Count('Goods to write, both platforms together'),
  startedAt: EpochMs('When the reset started'),
  finishedAt: Type.Union([EpochMs('When it ended'), Type.Null()]),
  tookMs: Type.Union([Int('How long seeding took', 0, Number.MAX_SAFE_INTEGER), Type.Null()]),
  error: Type.Union([Type.String({ description: 'Why it failed' }), Type.Null()]),
});

export function toResetJobView(job: ResetJob) {
  return {
    jobId: job.id,
    state: job.state,
    seed: job.params.seed,
    goodsPerPlatform: job.params.goodsPerPlatform,
    seededGoods: job.done,
    totalGoods: job.total,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
    tookMs: job.finishedAt === null ? null : job.finishedAt - job.startedAt,
    error: job.state === 'failed' ? String((job.error as Error | undefined)?.message ?? job.error) : null,
  };
}

export default defineRoute({
  method: 'POST',
  url: '/sandbox/reset',
  operationId: 'sandboxReset',
  summary: 'Reset and reseed the market',
  description:
    'Generates the catalog again (the same seed and size give the same catalog, byte for byte) and forgets every ' +
    'order, refund, event, fault and clock offset. Omitted fields keep the current catalog’s values. Seeding runs ' +
    'in a worker thread (seconds at 200,000 goods) and in one transaction: meanwhile the server answers as usual, ' +
    'the market answers from the old catalog, and calls that would change the market fail (50201 through the ' +
    'platform APIs). By default the call answers once the new catalog is in place; with `"wait": false` it answers ' +
    'at once (`state: running`), and `GET /sandbox/reset/{jobId}` follows the reset (jobs are known to the ' +
    'process that runs them). One reset at a time: another answers 40901 meanwhile. Catalogs of millions of goods ' +
    'are better seeded with `ponte sandbox seed` while the server is stopped.',
  tags: ['Sandbox'],
  auth: 'admin',
  errors: [40401, 40901],
  body: Type.Optional(
    Strict({
      goods: Type.Optional(Int('Goods per platform', 1, 200_000, 1000)),
      seed: Type.Optional(Int('Random seed', 1, 2_147_483_647, 1)),
      wait: Type.Optional(
        Type.Boolean({
          description: 'true (default): answer when the reset is done; false: answer at once with the job',
          examples: [false],
        }),
      ),
    }),
  ),
  data: ResetJobView,
  handler: async ({ deps, body }) => {
    // One reset at a time: a second one while the first seeds is a change like any other (40901).
    const sandbox = sandboxForChange(deps);
    const current = sandbox.seededWith() ?? {
      seed: deps.config.sandbox.seed,
      goodsPerPlatform: deps.config.sandbox.goods,
    };
    const params = { seed: body?.seed ?? current.seed, goodsPerPlatform: body?.goods ?? current.goodsPerPlatform };
    const job = sandbox.resets.start(params, async (onProgress) => {
      await sandbox.stop();
      try {
        await sandbox.reseedOffThread(params, onProgress);
      } finally {
        if (deps.config.runWorkers) sandbox.start(1000, (err) => deps.log.error({ err }, 'sandbox market tick failed'));
      }
    });
    if (body?.wait === false) {
      job.finished.then(() => {
        if (job.state === 'failed') deps.log.error({ err: job.error, jobId: job.id }, 'sandbox reset failed');
      });
      return toResetJobView(job);
    }
    await job.finished;
    if (job.state === 'failed') throw job.error;
    return toResetJobView(job);
  },
});
