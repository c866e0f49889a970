import type { AdminStats } from '@ponte/sdk';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { getRouteApi, Link, type LinkProps } from '@tanstack/react-router';
import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useOperator } from '../../api';
import { useNav } from '../../i18n/nav';
import { useFormat } from '../../ui/format';
import { Facts, PageHeader, Section, Table } from '../../ui/page';
import { QueryView } from '../../ui/states';
import { useOperatorMessages } from './messages';
import { RESET_FIELDSET } from './parts';
import { DAY_CHOICES } from './search';

const route = getRouteApi('/op/');

/** The stylesheet's muted text and border colours for the axes; the series told apart by hue and by dash. */
const MUTED = '#555d68';
const GRID = '#e3e6ea';
const COLOURS = ['#0b5cad', '#136c2e', '#a3161b', '#7a4d00', '#6b3fa0'];
const DASHES = [[], [6, 4], [2, 3], [10, 3, 2, 3], [1, 4]];
const HEIGHT = 220;
/** Steps between an axis' ticks for counts: whole numbers only. */
const WHOLE_STEPS = Array.from({ length: 30 }, (_, i) => ([1, 2, 5][i % 3] ?? 1) * 10 ** Math.floor(i / 3));

type Day = AdminStats['days'][number];
type Figure = Exclude<keyof Day, 'date'>;

interface ChartSeries {
  label: string;
  values: number[];
  /** Index in the colours (and dashes). */
  colour: number;
}

/**
 * One chart of figures per day, drawn by uPlot on a canvas that follows its box's width; the canvas is an image named
 * by the totals, and the same figures are in a table below it.
 */
function DayChart({
  title,
  dates,
  series,
  format,
  axisFormat,
  whole,
}: {
  title: string;
  dates: string[];
  series: ChartSeries[];
  /** How the table and the summary show a figure. */
  format: (n: number) => string;
  /** How the axis shows it (shorter). */
  axisFormat: (n: number) => string;
  /** Counts: the axis ticks whole numbers only. */
  whole: boolean;
}) {
  const { t } = useOperatorMessages();
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const xs = dates.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000);
    const axis = {
      stroke: MUTED,
      grid: { stroke: GRID, width: 1 },
      ticks: { stroke: GRID, width: 1 },
      font: '12px system-ui, sans-serif',
    };
    const plot = new uPlot(
      {
        width: Math.max(200, element.clientWidth),
        height: HEIGHT,
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
        scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
        axes: [
          axis,
          {
            ...axis,
            size: 64,
            values: (_u, ticks) => ticks.map((v) => axisFormat(v)),
            ...(whole ? { incrs: WHOLE_STEPS } : {}),
          },
        ],
        series: [
          {},
          ...series.map((s) => ({
            label: s.label,
            stroke: COLOURS[s.colour % COLOURS.length],
            dash: DASHES[s.colour % DASHES.length],
            width: 2,
            points: { show: dates.length <= 31, size: 5 },
          })),
        ],
      },
      [xs, ...series.map((s) => s.values)],
      element,
    );
    const observer = new ResizeObserver(() => {
      const width = Math.max(200, element.clientWidth);
      if (width !== plot.width) plot.setSize({ width, height: HEIGHT });
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [dates, series, axisFormat, whole]);

  const totals = series.map((s) => `${s.label}: ${format(s.values.reduce((a, b) => a + b, 0))}`).join('; ');
  return (
    <figure className="op-chart" style={{ margin: '0 0 1.5rem', minWidth: 0 }}>
      <h3>{title}</h3>
      <ul className="op-legend" style={{ display: 'flex', flexWrap: 'wrap', gap: '0.25rem 1rem', padding: 0 }}>
        {series.map((s) => (
          <li key={s.label} style={{ listStyle: 'none', display: 'flex', alignItems: 'center', gap: '0.35rem' }}>
            <svg width="24" height="10" aria-hidden="true">
              <line
                x1="0"
                y1="5"
                x2="24"
                y2="5"
                stroke={COLOURS[s.colour % COLOURS.length]}
                strokeWidth="2"
                strokeDasharray={DASHES[s.colour % DASHES.length]?.join(' ')}
              />
            </svg>
            {s.label}
          </li>
        ))}
      </ul>
      <div
        ref={box}
        role="img"
        aria-label={t('chartTotals', { title, totals })}
        style={{ minWidth: 0, overflow: 'hidden' }}
        data-testid="chart"
      />
      <details>
        <summary>{t('chartFigures')}</summary>
        <Table label={title}>
          <thead>
            <tr>
              <th scope="col">{t('day')}</th>
              {series.map((s) => (
                <th key={s.label} scope="col" className="num">
                  {s.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {dates.map((date, row) => (
              <tr key={date}>
                <th scope="row">{date}</th>
                {series.map((s) => (
                  <td key={s.label} className="num">
                    {format(s.values[row] ?? 0)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </Table>
      </details>
    </figure>
  );
}

function Charts({ stats }: { stats: AdminStats }) {
  const { t, language } = useOperatorMessages();
  const f = useFormat();
  // `t` is a new function at each render; the language names what it translates with.
  // biome-ignore lint/correctness/useExhaustiveDependencies: recomputed when the figures or the language change
  const charts = useMemo(() => {
    const pick = (label: string, figure: Figure, colour: number, scale = 1): ChartSeries => ({
      label,
      colour,
      values: stats.days.map((d) => d[figure] / scale),
    });
    const count = (n: number) => f.number(n);
    return [
      {
        title: t('chartOrders'),
        format: count,
        axisFormat: count,
        whole: true,
        series: [pick(t('ordersPlaced'), 'orders', 0), pick(t('ordersPaid'), 'paid', 1)],
      },
      {
        title: t('chartMoney'),
        format: (n: number) => f.yuan(n),
        axisFormat: count,
        whole: false,
        series: [
          pick(t('orderAmount'), 'orderAmount', 0, 100),
          pick(t('paidAmount'), 'paidAmount', 1, 100),
          pick(t('refundAmount'), 'refundAmount', 2, 100),
          pick(t('topupAmount'), 'topupAmount', 3, 100),
        ],
      },
      {
        title: t('chartAfterSales'),
        format: count,
        axisFormat: count,
        whole: true,
        series: [
          pick(t('refunds'), 'refunds', 2),
          pick(t('topups'), 'topups', 3),
          pick(t('parcelsShipped'), 'parcelsShipped', 4),
        ],
      },
      {
        title: t('chartCallbacks'),
        format: count,
        axisFormat: count,
        whole: true,
        series: [pick(t('messagesDelivered'), 'messagesDelivered', 1), pick(t('messagesFailed'), 'messagesFailed', 2)],
      },
    ];
  }, [stats, f, language]);
  const dates = useMemo(() => stats.days.map((d) => d.date), [stats]);
  return (
    <Section title={t('perDay')}>
      {charts.map((c) => (
        <DayChart
          key={c.title}
          title={c.title}
          dates={dates}
          series={c.series}
          format={c.format}
          axisFormat={c.axisFormat}
          whole={c.whole}
        />
      ))}
    </Section>
  );
}

function Totals({ stats }: { stats: AdminStats }) {
  const { t } = useOperatorMessages();
  const { number, money } = useFormat();
  const s = stats.totals;
  const both = (id: string, n: number, fen: number) => (
    <span data-testid={`total-${id}`}>{t('countAndAmount', { count: number(n), amount: money(fen) })}</span>
  );
  const one = (id: string, n: number) => <span data-testid={`total-${id}`}>{number(n)}</span>;
  return (
    <Section title={t('totals', { from: stats.from, to: stats.to })}>
      <Facts
        items={[
          [t('ordersPlaced'), both('orders', s.orders, s.orderAmount)],
          [t('ordersPaid'), both('paid', s.paid, s.paidAmount)],
          [t('refunds'), both('refunds', s.refunds, s.refundAmount)],
          [t('topups'), both('topups', s.topups, s.topupAmount)],
          [t('parcelsShipped'), one('parcels', s.parcelsShipped)],
          [t('messagesDelivered'), one('delivered', s.messagesDelivered)],
          [t('messagesFailed'), one('failed', s.messagesFailed)],
        ]}
      />
    </Section>
  );
}

function Queues({ gauges }: { gauges: AdminStats['gauges'] }) {
  const { t } = useOperatorMessages();
  const { number } = useFormat();
  const cards: { id: string; label: string; value: number | null; to: NonNullable<LinkProps['to']>; hash?: string }[] =
    [
      { id: 'vouchers', label: t('pendingVouchers'), value: gauges.pendingVouchers, to: '/op/vouchers' },
      { id: 'refunds', label: t('openRefunds'), value: gauges.openRefunds, to: '/op/refunds' },
      { id: 'warehouse', label: t('warehouseAwaiting'), value: gauges.warehouseItemsAwaiting, to: '/op/warehouse' },
      { id: 'exceptions', label: t('exceptionsOpen'), value: gauges.exceptionsOpen, to: '/op/warehouse' },
      { id: 'messages', label: t('messagesPending'), value: gauges.messagesPending, to: '/op/callbacks' },
      {
        id: 'dead-letters',
        label: t('deadLetters'),
        value: gauges.deadLetters,
        to: '/op/callbacks',
        hash: 'dead-letters',
      },
    ];
  return (
    <Section title={t('queuesNow')}>
      <ul
        className="grid"
        style={{
          listStyle: 'none',
          margin: 0,
          padding: 0,
          gridTemplateColumns: 'repeat(auto-fill, minmax(8.5rem, 1fr))',
        }}
      >
        {cards.map((c) => (
          <li key={c.id}>
            <Link
              to={c.to}
              hash={c.hash}
              className="card"
              style={{ display: 'flex', flexDirection: 'column', margin: 0, textDecoration: 'none' }}
              data-testid={`queue-${c.id}`}
            >
              <span>{c.label}</span>
              <strong style={{ fontSize: '1.6rem', color: 'var(--text)' }}>
                {c.value === null ? '—' : number(c.value)}
              </strong>
            </Link>
          </li>
        ))}
      </ul>
    </Section>
  );
}

/** Volumes per day over 7 to 90 days, their totals, and the queues now. */
export function DashboardPage() {
  const { t } = useOperatorMessages();
  const { t: tn } = useNav();
  const { client, opKey } = useOperator();
  const { days } = route.useSearch();
  const navigate = route.useNavigate();
  const stats = useQuery({
    queryKey: opKey('stats', days),
    queryFn: () => client.stats({ days }),
    placeholderData: keepPreviousData,
  });
  return (
    <>
      <PageHeader
        title={tn('dashboard')}
        actions={
          <fieldset style={RESET_FIELDSET}>
            <legend className="visually-hidden">{t('period')}</legend>
            <div className="form-actions" style={{ marginTop: 0 }}>
              {DAY_CHOICES.map((n) => (
                <button
                  key={n}
                  type="button"
                  className={`btn btn-small${n === days ? ' btn-primary' : ''}`}
                  aria-pressed={n === days}
                  onClick={() => void navigate({ search: { days: n } })}
                >
                  {t('lastDays', { count: n })}
                </button>
              ))}
            </div>
          </fieldset>
        }
      >
        <p>{t('dashboardIntro')}</p>
      </PageHeader>
      <QueryView query={stats}>
        {(data) => (
          <>
            <Queues gauges={data.gauges} />
            <Totals stats={data} />
            <Charts stats={data} />
          </>
        )}
      </QueryView>
    </>
  );
}
