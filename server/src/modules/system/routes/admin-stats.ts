import { defineRoute } from '../../../platform/http/route.js';
import { EpochMs, Id, Int, Strict, Type } from '../../../platform/http/schema.js';
import { currentGauges, DAY_MS, type DayFigures, dailyFigures, zeroFigures } from '../stats.js';

const Count = (description: string, example: number) => Int(description, 0, Number.MAX_SAFE_INTEGER, example);
const Fen = (description: string, example: number) => Int(`${description} (fen)`, 0, Number.MAX_SAFE_INTEGER, example);

const figures = {
  orders: Count('Orders placed (their create recorded at the marketplace)', 12),
  orderAmount: Fen('What those orders cost', 165_400),
  paid: Count('Orders whose payment completed', 9),
  paidAmount: Fen('Debited for those orders', 120_300),
  refunds: Count('Refunds that succeeded (credited to a balance)', 1),
  refundAmount: Fen('Credited by those refunds', 6_890),
  topups: Count('Top-ups: the operator’s and approved payment vouchers', 2),
  topupAmount: Fen('Credited by those top-ups', 500_000),
  parcelsShipped: Count('International parcels that left the warehouse', 3),
  messagesDelivered: Count('Callback deliveries a receiver acknowledged (a redelivery counts again)', 40),
  messagesFailed: Count('Callback messages whose retries ran out (kept 30 days: older days show 0)', 0),
};

const Day = Type.Object(
  {
    date: Type.String({
      description: 'The UTC day',
      pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$',
      examples: ['2026-03-14'],
    }),
    ...figures,
  },
  { description: 'What happened on one UTC day' },
);

const Gauge = (description: string, example: number) => Count(description, example);
const OperatorGauge = (description: string, example: number) =>
  Type.Union([Count(description, example), Type.Null()], {
    description: `${description}; null when \`developId\` is given (it belongs to no developer)`,
  });

/** `YYYY-MM-DD` of a UTC day number. */
const dateOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

export default defineRoute({
  method: 'GET',
  url: '/admin/stats',
  operationId: 'adminStats',
  summary: 'Volumes per day and the queues now',
  description:
    'A dashboard’s figures: for each of the last `days` UTC days up to today by the server’s clock (every day ' +
    'present, with zeros when nothing happened), orders placed, orders paid, refunds credited, top-ups, parcels ' +
    'shipped and callback deliveries, with their totals over the period; and the queues as they stand ' +
    '(`gauges`). With `developId`, only that developer’s.',
  tags: ['Admin'],
  auth: 'admin',
  query: Strict({
    days: Type.Optional(Int('How many days, today included (default 14)', 1, 90, 14)),
    developId: Type.Optional(Id('Only this developer’s figures')),
  }),
  data: Type.Object({
    now: EpochMs('The server’s time the figures were read at'),
    from: Type.String({ description: 'The first day (UTC)', examples: ['2026-03-01'] }),
    to: Type.String({ description: 'The last day: today (UTC)', examples: ['2026-03-14'] }),
    days: Type.Array(Day, { description: 'One per day, oldest first' }),
    totals: Type.Object(figures, { description: 'The days’ figures added up' }),
    gauges: Type.Object(
      {
        pendingVouchers: Gauge('Payment vouchers waiting for review', 2),
        openRefunds: Gauge('Refunds waiting for the seller, the buyer’s return or its receipt', 3),
        warehouseItemsAwaiting: Gauge('Goods at the warehouse not packed yet (received, inspected or stored)', 17),
        exceptionsOpen: OperatorGauge('Parcels received that matched nothing, not resolved yet', 1),
        messagesPending: Gauge('Callback messages queued or waiting for a retry', 5),
        deadLetters: OperatorGauge('Background work that failed every attempt (`GET /admin/dead-letters`)', 0),
      },
      { description: 'The queues now' },
    ),
  }),
  handler: async ({ deps, db, query }) => {
    const now = deps.clock.now();
    const last = Math.floor(now / DAY_MS);
    const first = last - (query.days ?? 14) + 1;
    const developId = query.developId;
    const daily = await dailyFigures(db, { first, last, developId });
    const gauges = await currentGauges(db, developId);
    const totals = zeroFigures();
    for (const { figures: f } of daily) {
      for (const k of Object.keys(totals) as (keyof DayFigures)[]) totals[k] += f[k];
    }
    return {
      now,
      from: dateOf(first),
      to: dateOf(last),
      days: daily.map(({ day, figures: f }) => ({ date: dateOf(day), ...f })),
      totals,
      gauges,
    };
  },
});
