import type { ExpressionBuilder } from 'kysely';
import type { Executor } from '../../../platform/db/database.js';
import type { CallbackEndpointsTable, DB } from '../../../platform/db/schema.js';
import { defineRoute } from '../../../platform/http/route.js';
import { EpochMs, Id, Int, PageNo, PageSize, Strict, type TSchema, Type } from '../../../platform/http/schema.js';

/**
 * The operator's view of callback delivery across developers (docs/adr/0013): one row per developer with a callback
 * URL, its state and what its queue and its attempts of the last 24 hours come to. Attempts and messages are kept 30
 * days, so the last delivery and the last failure are those of the last 30 days.
 */

const WINDOW_MS = 24 * 3_600_000;

const Nullable = <T extends TSchema>(schema: T, description: string) =>
  Type.Union([schema, Type.Null()], { description });
const Count = (description: string, example: number) => Int(description, 0, Number.MAX_SAFE_INTEGER, example);

const State = Type.Union([Type.Literal('healthy'), Type.Literal('failing'), Type.Literal('disabled')], {
  description:
    '`disabled`: messages are not delivered to the URL (see `disabledReason`); `failing`: enabled, and an attempt ' +
    'failed in the last 24 hours; `healthy`: enabled, and none did',
  examples: ['failing'],
});

const CallbackHealth = Type.Object(
  {
    developId: Id('The developer'),
    developerName: Type.String({ description: 'The developer’s name', examples: ['Acme Trading'] }),
    url: Type.String({
      description: 'The callback URL, as saved',
      examples: ['https://reseller.example/ponte/callbacks'],
    }),
    enabled: Type.Boolean({ description: 'Whether messages are delivered to it' }),
    state: State,
    disabledReason: Nullable(
      Type.String({ examples: ['failing'] }),
      'Why delivery stopped: `gone` (the receiver answered 410) or `failing` (5 days of failures); null while enabled',
    ),
    disabledTime: Nullable(EpochMs('Disabled'), 'When delivery stopped; null while enabled'),
    failingSince: Nullable(EpochMs('Failing since'), 'Since when every attempt has failed; null after a success'),
    pending: Count('Messages queued or waiting for a retry', 3),
    held: Count('Messages not queued: written while no URL was enabled, or held when it was disabled', 0),
    deadLetters: Count('Messages whose retries ran out (`failed`; redeliver them to try again)', 0),
    delivered24h: Count('Attempts a receiver acknowledged in the last 24 hours', 120),
    failed24h: Count('Attempts that failed in the last 24 hours (retries included)', 4),
    lastDeliveredTime: Nullable(EpochMs('Last delivery'), 'When a receiver last acknowledged a message; null if never'),
    lastFailure: Nullable(
      Type.Object({
        time: EpochMs('When the attempt was made'),
        messageId: Id('The message it sent', '1849203311240003584'),
        httpStatus: Nullable(
          Type.Integer({ examples: [500] }),
          'The HTTP status answered; null when none was (timeout, refused connection)',
        ),
        error: Nullable(Type.String({ examples: ['answered HTTP 500'] }), 'Why it failed'),
        outcome: Type.Union([Type.Literal('retry'), Type.Literal('failed'), Type.Literal('gone')], {
          description: '`retry` (attempts were left), `failed` (the last of the schedule), `gone` (410)',
          examples: ['retry'],
        }),
      }),
      'The latest failed attempt; null if none',
    ),
    oldestPendingAgeMs: Nullable(
      Int('Milliseconds', 0, Number.MAX_SAFE_INTEGER, 65_000),
      'How long ago the oldest pending message was written (ms); null when none is pending',
    ),
  },
  { description: 'A developer’s callback delivery health' },
);

type Eb = ExpressionBuilder<DB & { e: CallbackEndpointsTable }, 'e'>;

/** Whether an attempt to the developer's URL failed since `since`. */
const failedSince = (eb: Eb, since: number) =>
  eb.exists(
    eb
      .selectFrom('message_attempts as a')
      .select('a.message_id')
      .whereRef('a.develop_id', '=', 'e.develop_id')
      .where('a.attempted_at', '>=', since)
      .where('a.outcome', '<>', 'delivered'),
  );

/** What the page's developers' messages and attempts come to, in rows grouped by developer. */
async function figuresOf(db: Executor, developers: string[], since: number) {
  const messages = await db
    .selectFrom('messages')
    .select((eb) => ['develop_id', 'delivery', eb.fn.countAll<number>().as('n'), eb.fn.min('created_at').as('oldest')])
    .where('develop_id', 'in', developers)
    .where('delivery', 'in', ['pending', 'held', 'failed'])
    .groupBy(['develop_id', 'delivery'])
    .execute();
  const recent = await db
    .selectFrom('message_attempts')
    .select((eb) => ['develop_id', 'outcome', eb.fn.countAll<number>().as('n')])
    .where('develop_id', 'in', developers)
    .where('attempted_at', '>=', since)
    .groupBy(['develop_id', 'outcome'])
    .execute();
  const latest = await db
    .selectFrom('message_attempts')
    .select((eb) => [
      'develop_id',
      eb.fn.max(eb.case().when('outcome', '=', 'delivered').then(eb.ref('attempted_at')).end()).as('delivered'),
      eb.fn.max(eb.case().when('outcome', '<>', 'delivered').then(eb.ref('attempted_at')).end()).as('failed'),
    ])
    .where('develop_id', 'in', developers)
    .groupBy('develop_id')
    .execute();
  const failedAt = latest.flatMap((l) => (l.failed === null ? [] : [Number(l.failed)]));
  const failures =
    failedAt.length === 0
      ? []
      : await db
          .selectFrom('message_attempts')
          .selectAll()
          .where('develop_id', 'in', developers)
          .where('attempted_at', 'in', failedAt)
          .where('outcome', '<>', 'delivered')
          .orderBy('attempt', 'desc')
          .execute();
  return { messages, recent, latest, failures };
}

type Figures = Awaited<ReturnType<typeof figuresOf>>;
interface EndpointRow {
  develop_id: string;
  name: string;
  url: string;
  enabled: number;
  disabled_reason: string | null;
  disabled_at: number | null;
  failing_since: number | null;
}

/** One developer's row from its endpoint and the page's figures. */
function healthOf(r: EndpointRow, f: Figures, now: number) {
  const mine = <T extends { develop_id: string }>(all: T[]) => all.filter((x) => x.develop_id === r.develop_id);
  const by = (delivery: string) => mine(f.messages).find((m) => m.delivery === delivery);
  const recent = mine(f.recent);
  const delivered24h = recent.filter((a) => a.outcome === 'delivered').reduce((n, a) => n + Number(a.n), 0);
  const failed24h = recent.filter((a) => a.outcome !== 'delivered').reduce((n, a) => n + Number(a.n), 0);
  const latest = mine(f.latest)[0];
  const failure =
    latest?.failed == null ? undefined : mine(f.failures).find((a) => Number(a.attempted_at) === Number(latest.failed));
  const oldest = by('pending')?.oldest;
  const enabled = r.enabled === 1;
  return {
    developId: r.develop_id,
    developerName: r.name,
    url: r.url,
    enabled,
    state: !enabled ? ('disabled' as const) : failed24h > 0 ? ('failing' as const) : ('healthy' as const),
    disabledReason: enabled ? null : r.disabled_reason,
    disabledTime: enabled || r.disabled_at === null ? null : Number(r.disabled_at),
    failingSince: r.failing_since === null ? null : Number(r.failing_since),
    pending: Number(by('pending')?.n ?? 0),
    held: Number(by('held')?.n ?? 0),
    deadLetters: Number(by('failed')?.n ?? 0),
    delivered24h,
    failed24h,
    lastDeliveredTime: latest?.delivered == null ? null : Number(latest.delivered),
    lastFailure: failure
      ? {
          time: Number(failure.attempted_at),
          messageId: failure.message_id,
          httpStatus: failure.status === null ? null : Number(failure.status),
          error: failure.error,
          outcome: failure.outcome as 'retry' | 'failed' | 'gone',
        }
      : null,
    oldestPendingAgeMs: oldest == null ? null : Math.max(0, now - Number(oldest)),
  };
}

export default defineRoute({
  method: 'GET',
  url: '/admin/callbacks',
  operationId: 'adminCallbackHealth',
  summary: 'Callback delivery health of every developer',
  description:
    'One row per developer with a callback URL, newest URL first: whether delivery is enabled (and why not), the ' +
    'messages pending, held and failed, the attempts acknowledged and failed in the last 24 hours, the last ' +
    'delivery, the last failure with its status and error, and the age of the oldest pending message. `state` ' +
    '`failing` lists the URLs that need attention: disabled, or with a failed attempt in the last 24 hours. ' +
    'Never a signing secret.',
  tags: ['Admin'],
  auth: 'admin',
  query: Strict({
    state: Type.Optional(
      Type.Union([Type.Literal('healthy'), Type.Literal('failing'), Type.Literal('disabled')], {
        description:
          '`failing`: disabled or with a failed attempt in the last 24 hours; `disabled`: disabled only; ' +
          '`healthy`: enabled without a failed attempt in the last 24 hours',
        examples: ['failing'],
      }),
    ),
    developId: Type.Optional(Id('Only this developer')),
    pageNo: PageNo,
    pageSize: PageSize,
  }),
  data: Type.Object({
    list: Type.Array(CallbackHealth, { description: 'Newest callback URL first' }),
    total: Int('Number of developers matching the filters', 0, Number.MAX_SAFE_INTEGER),
  }),
  handler: async ({ deps, db, query }) => {
    const now = deps.clock.now();
    const since = now - WINDOW_MS;
    let q = db.selectFrom('callback_endpoints as e').innerJoin('developers as d', 'd.id', 'e.develop_id');
    if (query.developId) q = q.where('e.develop_id', '=', query.developId);
    if (query.state === 'disabled') q = q.where('e.enabled', '=', 0);
    if (query.state === 'failing') q = q.where((eb) => eb.or([eb('e.enabled', '=', 0), failedSince(eb, since)]));
    if (query.state === 'healthy') q = q.where('e.enabled', '=', 1).where((eb) => eb.not(failedSince(eb, since)));
    const pageNo = query.pageNo ?? 1;
    const pageSize = query.pageSize ?? 20;
    const count = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rows = await q
      .select([
        'e.develop_id',
        'd.name',
        'e.url',
        'e.enabled',
        'e.disabled_reason',
        'e.disabled_at',
        'e.failing_since',
        'e.created_at',
      ])
      .orderBy('e.created_at', 'desc')
      .orderBy('e.develop_id', 'desc')
      .limit(pageSize)
      .offset((pageNo - 1) * pageSize)
      .execute();
    if (rows.length === 0) return { list: [], total: Number(count.n) };
    const f = await figuresOf(
      db,
      rows.map((r) => r.develop_id),
      since,
    );
    const list = rows.map((r) => healthOf(r, f, now));
    return { list, total: Number(count.n) };
  },
});
