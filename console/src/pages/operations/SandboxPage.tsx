import type {
  SandboxClock,
  SandboxEvent,
  SandboxFaultInput,
  SandboxOrder,
  SandboxRefund,
  SellerPolicy,
  SellerPolicyChange,
} from '@ponte/sdk';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { type FormEvent, useEffect, useState } from 'react';
import { useOperator } from '../../api';
import { useCommon } from '../../i18n/common';
import { useFormat } from '../../ui/format';
import { Badge, Facts, Field, PageHeader, Section, Table } from '../../ui/page';
import { Empty, ErrorView, QueryView } from '../../ui/states';
import { useOperationsMessages } from './messages';
import { EVENT_TYPES, type EventType, PLATFORMS, type Platform } from './search';
import { Done, intIn, numberIn } from './shared';

/** The provider operations a fault can be injected into (`*`: all of them). */
const FAULT_OPERATIONS = [
  '*',
  'getProduct',
  'getProducts',
  'getProductByMpId',
  'search',
  'imageSearch',
  'searchShops',
  'getShop',
  'getSupplier',
  'wangwangUrl',
  'chatUrl',
  'getCategory',
  'topCategories',
  'recommend',
  'related',
  'marketingList',
  'previewOrder',
  'createOrder',
  'payOrder',
  'cancelOrder',
  'confirmReceipt',
  'getOrder',
  'ordersByClientRef',
  'logisticsTrace',
  'carriers',
  'refundOptions',
  'createRefund',
  'modifyRefund',
  'cancelRefund',
  'submitReturnShipment',
  'getRefund',
  'refundByClientRef',
  'addRefundMessage',
  'refundMessages',
  'orderRefunds',
] as const;
type FaultOperation = (typeof FAULT_OPERATIONS)[number];

/** The seller policy's delays (market milliseconds), edited in minutes. */
const POLICY_DELAYS = [
  'shipAfterMs',
  'traceStepMs',
  'unpaidCloseAfterMs',
  'autoConfirmAfterMs',
  'finishAfterMs',
  'priceModifyAfterMs',
  'refundDecisionAfterMs',
  'sellerAgreeTimeoutMs',
  'buyerModifyTimeoutMs',
  'buyerReturnTimeoutMs',
  'returnReceiveAfterMs',
  'sellerReceiveTimeoutMs',
  'refundReplyAfterMs',
] as const;
type PolicyDelay = (typeof POLICY_DELAYS)[number];
const POLICY_RATES = ['priceModifyRate', 'refundAgreeRate'] as const;
type PolicyRate = (typeof POLICY_RATES)[number];
const REFUND_DECISIONS = ['agree', 'refuse', 'random'] as const;
const MAX_DELAY_MS = 315_360_000_000;
const MINUTE = 60_000;

const UNITS = { minutes: 60, hours: 3600, days: 86_400 } as const;
type Unit = keyof typeof UNITS;
const MAX_ADVANCE_SECONDS = 315_360_000;
const EVENTS_SHOWN = 50;
const EVENTS_PAGE = 500;

/** The built-in marketplace's controls: its clock, faults, sellers' policy and events, and its sellers' actions. */
export function SandboxPage() {
  const { t } = useOperationsMessages();
  return (
    <>
      <PageHeader title={t('sandboxTitle')}>
        <p>{t('sandboxIntro')}</p>
      </PageHeader>
      <StatusSection />
      <ClockSection />
      <FaultsSection />
      <SellerActionsSection />
      <PolicySection />
      <EventsSection />
    </>
  );
}

function useSandboxChange<I, O>(run: (input: I) => Promise<O>) {
  const { opKey } = useOperator();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: opKey('operations', 'sandbox') });
    },
  });
}

function StatusSection() {
  const { t } = useOperationsMessages();
  const { client, opKey } = useOperator();
  const format = useFormat();
  const status = useQuery({
    queryKey: opKey('operations', 'sandbox', 'status'),
    queryFn: () => client.sandbox.status(),
  });
  return (
    <Section title={t('marketStatus')}>
      <QueryView query={status}>
        {(s) => (
          <>
            <Facts
              items={[
                [t('catalogSeed'), String(s.catalog.seed)],
                [t('goodsPerPlatform'), format.number(s.catalog.goodsPerPlatform)],
                [t('undeliveredEvents'), format.number(s.undeliveredEvents)],
                [t('faultsActive'), format.number(s.faults.length)],
              ]}
            />
            <Table label={t('marketCounts')}>
              <thead>
                <tr>
                  <th scope="col">{t('platform')}</th>
                  <th scope="col" className="num">
                    {t('goods')}
                  </th>
                  <th scope="col" className="num">
                    {t('shops')}
                  </th>
                  <th scope="col" className="num">
                    {t('orders')}
                  </th>
                  <th scope="col" className="num">
                    {t('refunds')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {(
                  [
                    ['Taobao', s.taobao],
                    ['1688', s.alibaba],
                  ] as const
                ).map(([name, c]) => (
                  <tr key={name}>
                    <th scope="row">{name}</th>
                    <td className="num">{format.number(c.goods)}</td>
                    <td className="num">{format.number(c.shops)}</td>
                    <td className="num">{format.number(c.orders)}</td>
                    <td className="num">{format.number(c.refunds)}</td>
                  </tr>
                ))}
              </tbody>
            </Table>
          </>
        )}
      </QueryView>
    </Section>
  );
}

/** The market time as it runs: read once, then moved on locally at the clock's speed. */
function useMarketNow(clock: SandboxClock | undefined, readAt: number): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  if (!clock) return null;
  return clock.now + Math.max(0, now - readAt) * clock.speed;
}

function ClockSection() {
  const { t } = useOperationsMessages();
  const { client, opKey } = useOperator();
  const format = useFormat();
  const clock = useQuery({ queryKey: opKey('operations', 'sandbox', 'clock'), queryFn: () => client.sandbox.clock() });
  const marketNow = useMarketNow(clock.data, clock.dataUpdatedAt);
  const [amount, setAmount] = useState('1');
  const [unit, setUnit] = useState<Unit>('hours');
  const [speed, setSpeed] = useState('');
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [done, setDone] = useState<string | null>(null);
  const advance = useSandboxChange((seconds: number) => client.sandbox.advance(seconds));
  const setClockSpeed = useSandboxChange((value: number) => client.sandbox.setClockSpeed(value));

  const submitAdvance = (e: FormEvent) => {
    e.preventDefault();
    const n = intIn(amount, 1, Math.floor(MAX_ADVANCE_SECONDS / UNITS[unit]));
    if (n === null) {
      setProblems({ amount: t('wholeNumberBetween', { min: 1, max: Math.floor(MAX_ADVANCE_SECONDS / UNITS[unit]) }) });
      return;
    }
    setProblems({});
    setDone(null);
    advance.mutate(n * UNITS[unit], {
      onSuccess: (r) => setDone(t('advanced', { time: format.dateTime(r.now), count: r.actions })),
    });
  };
  const submitSpeed = (e: FormEvent) => {
    e.preventDefault();
    const n = numberIn(speed, 0.001, 1_000_000);
    if (n === null) {
      setProblems({ speed: t('numberBetween', { min: 0.001, max: 1_000_000 }) });
      return;
    }
    setProblems({});
    setDone(null);
    setClockSpeed.mutate(n, { onSuccess: (r) => setDone(t('speedSet', { speed: r.speed })) });
  };

  return (
    <Section title={t('clockTitle')}>
      <QueryView query={clock}>
        {(c) => (
          <Facts
            items={[
              [
                t('marketTime'),
                <span key="n" data-testid="market-time" data-now={c.now}>
                  {format.dateTime(marketNow ?? c.now)}
                </span>,
              ],
              [t('clockSpeed'), t('speedText', { speed: c.speed })],
            ]}
          />
        )}
      </QueryView>
      {done && <Done>{done}</Done>}
      <form className="form-row" onSubmit={submitAdvance} noValidate>
        <Field label={t('advanceBy')} error={problems.amount}>
          <input type="number" min={1} inputMode="numeric" value={amount} onChange={(e) => setAmount(e.target.value)} />
        </Field>
        <Field label={t('unit')}>
          <select value={unit} onChange={(e) => setUnit(e.target.value as Unit)}>
            {(Object.keys(UNITS) as Unit[]).map((u) => (
              <option key={u} value={u}>
                {t(`unit_${u}`)}
              </option>
            ))}
          </select>
        </Field>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={advance.isPending}>
            {advance.isPending ? t('advancing') : t('advanceClock')}
          </button>
        </div>
      </form>
      {advance.isError && <ErrorView error={advance.error} />}
      <form className="form-row" onSubmit={submitSpeed} noValidate>
        <Field label={t('newSpeed')} hint={t('speedHint')} error={problems.speed}>
          <input type="number" min={0.001} step="any" value={speed} onChange={(e) => setSpeed(e.target.value)} />
        </Field>
        <div className="form-actions">
          <button type="submit" className="btn" disabled={setClockSpeed.isPending}>
            {t('setSpeed')}
          </button>
        </div>
      </form>
      {setClockSpeed.isError && <ErrorView error={setClockSpeed.error} />}
    </Section>
  );
}

function FaultsSection() {
  const { t } = useOperationsMessages();
  const { client, opKey } = useOperator();
  const format = useFormat();
  const faults = useQuery({
    queryKey: opKey('operations', 'sandbox', 'faults'),
    queryFn: () => client.sandbox.faults(),
  });
  const [operation, setOperation] = useState<FaultOperation>('search');
  const [form, setForm] = useState({ errorRate: '', timeoutRate: '', lostReplyRate: '', latencyMs: '' });
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [done, setDone] = useState<string | null>(null);
  const setFault = useSandboxChange((input: { operation: string; fault: SandboxFaultInput }) =>
    client.sandbox.setFault(input.operation, input.fault),
  );
  const clear = useSandboxChange((op: string | undefined) => client.sandbox.clearFaults(op));
  const set = (name: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [name]: e.target.value }));
  const percent = (rate: number) => `${format.number(Math.round(rate * 1000) / 10)} %`;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found: Record<string, string> = {};
    const fault: SandboxFaultInput = {};
    for (const name of ['errorRate', 'timeoutRate', 'lostReplyRate'] as const) {
      if (form[name].trim() === '') continue;
      const n = numberIn(form[name], 0, 1);
      if (n === null) found[name] = t('numberBetween', { min: 0, max: 1 });
      else fault[name] = n;
    }
    if (form.latencyMs.trim() !== '') {
      const n = intIn(form.latencyMs, 0, 600_000);
      if (n === null) found.latencyMs = t('wholeNumberBetween', { min: 0, max: 600_000 });
      else fault.latencyMs = n;
    }
    if (Object.keys(found).length === 0 && Object.keys(fault).length === 0) found.errorRate = t('faultEmpty');
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    setDone(null);
    setFault.mutate({ operation, fault }, { onSuccess: (f) => setDone(t('faultSet', { operation: f.operation })) });
  };
  const clearOne = (op: string | undefined) => {
    setDone(null);
    clear.mutate(op, { onSuccess: (n) => setDone(t('faultsCleared', { count: n })) });
  };

  return (
    <Section
      title={t('faultsTitle')}
      actions={
        (faults.data?.length ?? 0) > 0 && (
          <button
            type="button"
            className="btn btn-danger"
            disabled={clear.isPending}
            onClick={() => clearOne(undefined)}
          >
            {t('clearAllFaults')}
          </button>
        )
      }
    >
      <QueryView query={faults}>
        {(list) =>
          list.length === 0 ? (
            <Empty>{t('noFaults')}</Empty>
          ) : (
            <Table label={t('faultsTitle')}>
              <thead>
                <tr>
                  <th scope="col">{t('operation')}</th>
                  <th scope="col" className="num">
                    {t('errorRate')}
                  </th>
                  <th scope="col" className="num">
                    {t('timeoutRate')}
                  </th>
                  <th scope="col" className="num">
                    {t('lostReplyRate')}
                  </th>
                  <th scope="col" className="num">
                    {t('latencyMs')}
                  </th>
                  <th scope="col">{t('actions')}</th>
                </tr>
              </thead>
              <tbody>
                {list.map((f) => (
                  <tr key={f.operation} data-testid="fault-row">
                    <td>
                      <code>{f.operation}</code>
                    </td>
                    <td className="num">{percent(f.errorRate)}</td>
                    <td className="num">{percent(f.timeoutRate)}</td>
                    <td className="num">{percent(f.lostReplyRate)}</td>
                    <td className="num">{format.number(f.latencyMs)}</td>
                    <td>
                      <button
                        type="button"
                        className="btn btn-small"
                        disabled={clear.isPending}
                        aria-label={t('clearFaultOf', { operation: f.operation })}
                        onClick={() => clearOne(f.operation)}
                      >
                        {t('clearFault')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )
        }
      </QueryView>
      {done && <Done>{done}</Done>}
      {clear.isError && <ErrorView error={clear.error} />}
      <h3>{t('setFaultTitle')}</h3>
      <form onSubmit={submit} noValidate>
        <div className="form-row">
          <Field label={t('operation')}>
            <select value={operation} onChange={(e) => setOperation(e.target.value as FaultOperation)}>
              {FAULT_OPERATIONS.map((op) => (
                <option key={op} value={op}>
                  {op === '*' ? t('allOperations') : op}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('errorRate')} hint={t('rateHint')} error={problems.errorRate}>
            <input type="number" min={0} max={1} step="any" value={form.errorRate} onChange={set('errorRate')} />
          </Field>
          <Field label={t('timeoutRate')} error={problems.timeoutRate}>
            <input type="number" min={0} max={1} step="any" value={form.timeoutRate} onChange={set('timeoutRate')} />
          </Field>
          <Field label={t('lostReplyRate')} error={problems.lostReplyRate}>
            <input
              type="number"
              min={0}
              max={1}
              step="any"
              value={form.lostReplyRate}
              onChange={set('lostReplyRate')}
            />
          </Field>
          <Field label={t('latencyMs')} error={problems.latencyMs}>
            <input type="number" min={0} inputMode="numeric" value={form.latencyMs} onChange={set('latencyMs')} />
          </Field>
        </div>
        {setFault.isError && <ErrorView error={setFault.error} />}
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={setFault.isPending}>
            {t('setFault')}
          </button>
        </div>
      </form>
    </Section>
  );
}

/** The policy as the server holds it; the form is set anew from each answer, the change's outcome kept here. */
function PolicySection() {
  const { t } = useOperationsMessages();
  const { client, opKey } = useOperator();
  const policy = useQuery({
    queryKey: opKey('operations', 'sandbox', 'policy'),
    queryFn: () => client.sandbox.policy(),
  });
  const [done, setDone] = useState<string | null>(null);
  const save = useSandboxChange((change: SellerPolicyChange) => client.sandbox.setPolicy(change));
  const submit = (change: SellerPolicyChange | null) => {
    setDone(null);
    if (change === null) return setDone(t('policyUnchanged'));
    save.mutate(change, { onSuccess: () => setDone(t(change.reset ? 'policyRestored' : 'policySaved')) });
  };
  return (
    <Section title={t('policyTitle')}>
      <QueryView query={policy}>
        {(p) => <PolicyForm key={JSON.stringify(p)} policy={p} pending={save.isPending} onSubmit={submit} />}
      </QueryView>
      {save.isError && <ErrorView error={save.error} />}
      {done && <Done>{done}</Done>}
    </Section>
  );
}

type PolicyForm = Record<PolicyDelay | PolicyRate | 'percentLow' | 'percentHigh', string> & {
  refundDecision: SellerPolicy['refundDecision'];
};

function formOf(p: SellerPolicy): PolicyForm {
  const delays = Object.fromEntries(POLICY_DELAYS.map((k) => [k, String(p[k] / MINUTE)])) as Record<
    PolicyDelay,
    string
  >;
  return {
    ...delays,
    priceModifyRate: String(p.priceModifyRate),
    refundAgreeRate: String(p.refundAgreeRate),
    percentLow: String(p.priceModifyPercent[0] ?? 0),
    percentHigh: String(p.priceModifyPercent[1] ?? 0),
    refundDecision: p.refundDecision,
  };
}

function PolicyForm({
  policy,
  pending,
  onSubmit,
}: {
  policy: SellerPolicy;
  pending: boolean;
  /** The fields changed, or null when none was. */
  onSubmit: (change: SellerPolicyChange | null) => void;
}) {
  const { t } = useOperationsMessages();
  const [form, setForm] = useState<PolicyForm>(() => formOf(policy));
  const [problems, setProblems] = useState<Record<string, string>>({});
  const set = (name: keyof PolicyForm) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [name]: e.target.value }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found: Record<string, string> = {};
    const change: SellerPolicyChange = {};
    for (const k of POLICY_DELAYS) {
      const minutes = numberIn(form[k], 0, MAX_DELAY_MS / MINUTE);
      if (minutes === null) found[k] = t('numberBetween', { min: 0, max: MAX_DELAY_MS / MINUTE });
      else if (Math.round(minutes * MINUTE) !== policy[k]) change[k] = Math.round(minutes * MINUTE);
    }
    for (const k of POLICY_RATES) {
      const n = numberIn(form[k], 0, 1);
      if (n === null) found[k] = t('numberBetween', { min: 0, max: 1 });
      else if (n !== policy[k]) change[k] = n;
    }
    const low = numberIn(form.percentLow, -90, 100);
    const high = numberIn(form.percentHigh, -90, 100);
    if (low === null) found.percentLow = t('numberBetween', { min: -90, max: 100 });
    if (high === null) found.percentHigh = t('numberBetween', { min: -90, max: 100 });
    else if (low !== null && high < low) found.percentHigh = t('highBelowLow');
    if (
      low !== null &&
      high !== null &&
      (low !== policy.priceModifyPercent[0] || high !== policy.priceModifyPercent[1])
    )
      change.priceModifyPercent = [low, high];
    if (form.refundDecision !== policy.refundDecision) change.refundDecision = form.refundDecision;
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    onSubmit(Object.keys(change).length === 0 ? null : change);
  };

  return (
    <form onSubmit={submit} noValidate>
      <div className="form-row">
        <Field label={t('refundDecision')}>
          <select value={form.refundDecision} onChange={set('refundDecision')}>
            {REFUND_DECISIONS.map((d) => (
              <option key={d} value={d}>
                {t(`decision_${d}`)}
              </option>
            ))}
          </select>
        </Field>
        {POLICY_RATES.map((k) => (
          <Field key={k} label={t(`policy_${k}`)} hint={t('rateHint')} error={problems[k]}>
            <input type="number" min={0} max={1} step="any" value={form[k]} onChange={set(k)} />
          </Field>
        ))}
        <Field label={t('percentLow')} error={problems.percentLow}>
          <input type="number" min={-90} max={100} step="any" value={form.percentLow} onChange={set('percentLow')} />
        </Field>
        <Field label={t('percentHigh')} error={problems.percentHigh}>
          <input type="number" min={-90} max={100} step="any" value={form.percentHigh} onChange={set('percentHigh')} />
        </Field>
      </div>
      <fieldset>
        <legend>{t('delaysInMinutes')}</legend>
        <div className="form-row">
          {POLICY_DELAYS.map((k) => (
            <Field key={k} label={t(`policy_${k}`)} error={problems[k]}>
              <input type="number" min={0} step="any" value={form[k]} onChange={set(k)} />
            </Field>
          ))}
        </div>
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={pending}>
          {t('savePolicy')}
        </button>
        <button type="button" className="btn" disabled={pending} onClick={() => onSubmit({ reset: true })}>
          {t('restorePolicy')}
        </button>
      </div>
    </form>
  );
}

/** The last events that match, newest first: the list is read forward from the start, keeping the last ones. */
async function latestEvents(read: (afterSeq: number) => Promise<SandboxEvent[]>): Promise<SandboxEvent[]> {
  let kept: SandboxEvent[] = [];
  let after = 0;
  for (let i = 0; i < 200; i++) {
    const page = await read(after);
    kept = [...kept, ...page].slice(-EVENTS_SHOWN);
    const last = page[page.length - 1];
    if (!last || page.length < EVENTS_PAGE) break;
    after = last.seq;
  }
  return kept.reverse();
}

function EventsSection() {
  const { t } = useOperationsMessages();
  const { t: tc } = useCommon();
  const { client, opKey } = useOperator();
  const format = useFormat();
  const search = useSearch({ from: '/op/sandbox' });
  const navigate = useNavigate({ from: '/op/sandbox' });
  const [orderId, setOrderId] = useState(search.orderId ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  const filters = { platform: search.platform, type: search.type, orderId: search.orderId };
  const events = useQuery({
    queryKey: opKey('operations', 'sandbox', 'events', filters),
    queryFn: () => latestEvents((afterSeq) => client.sandbox.events({ ...filters, afterSeq, limit: EVENTS_PAGE })),
  });
  const apply = (e: FormEvent) => {
    e.preventDefault();
    const id = orderId.trim();
    if (id && !/^[A-Za-z0-9-]{1,40}$/.test(id)) return setProblem(t('orderIdInvalid'));
    setProblem(null);
    void navigate({ search: (s) => ({ ...s, orderId: id || undefined }) });
  };

  return (
    <Section
      title={t('eventsTitle')}
      actions={
        <button
          type="button"
          className="btn btn-small"
          disabled={events.isFetching}
          onClick={() => void events.refetch()}
        >
          {t('refresh')}
        </button>
      }
    >
      <form className="form-row" onSubmit={apply}>
        <Field label={t('platform')}>
          <select
            value={search.platform ?? ''}
            onChange={(e) =>
              void navigate({
                search: (s) => ({ ...s, platform: (e.target.value || undefined) as Platform | undefined }),
              })
            }
          >
            <option value="">{tc('all')}</option>
            {PLATFORMS.map((p) => (
              <option key={p} value={p}>
                {p === 'taobao' ? 'Taobao' : '1688'}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('eventType')}>
          <select
            value={search.type ?? ''}
            onChange={(e) =>
              void navigate({ search: (s) => ({ ...s, type: (e.target.value || undefined) as EventType | undefined }) })
            }
          >
            <option value="">{tc('all')}</option>
            {EVENT_TYPES.map((type) => (
              <option key={type} value={type}>
                {type}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('upstreamOrderId')} error={problem}>
          <input value={orderId} onChange={(e) => setOrderId(e.target.value)} maxLength={40} />
        </Field>
        <div className="form-actions">
          <button type="submit" className="btn">
            {tc('apply')}
          </button>
        </div>
      </form>
      <QueryView query={events}>
        {(list) =>
          list.length === 0 ? (
            <Empty>{t('noEvents')}</Empty>
          ) : (
            <Table label={t('eventsTitle')}>
              <thead>
                <tr>
                  <th scope="col" className="num">
                    {t('seq')}
                  </th>
                  <th scope="col">{t('marketTime')}</th>
                  <th scope="col">{t('platform')}</th>
                  <th scope="col">{t('eventType')}</th>
                  <th scope="col">{t('subject')}</th>
                  <th scope="col">{t('delivered')}</th>
                  <th scope="col">{t('detail')}</th>
                </tr>
              </thead>
              <tbody>
                {list.map((ev) => (
                  <tr key={ev.eventId}>
                    <td className="num">{ev.seq}</td>
                    <td>{format.dateTime(ev.at)}</td>
                    <td>{ev.platform}</td>
                    <td>
                      <code>{ev.type}</code>
                    </td>
                    <td>
                      {[
                        ev.orderId && t('orderShort', { id: ev.orderId }),
                        ev.refundId && t('refundShort', { id: ev.refundId }),
                        ev.productId && t('productShort', { id: ev.productId }),
                      ]
                        .filter(Boolean)
                        .join(' · ') || '—'}
                    </td>
                    <td>
                      <Badge tone={ev.delivered ? 'good' : 'warn'}>{ev.delivered ? tc('yes') : tc('no')}</Badge>
                    </td>
                    <td>
                      <code style={{ wordBreak: 'break-all' }}>{JSON.stringify(ev.data).slice(0, 240)}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )
        }
      </QueryView>
    </Section>
  );
}

function PlatformSelect({ value, onChange }: { value: Platform; onChange: (p: Platform) => void }) {
  const { t } = useOperationsMessages();
  return (
    <Field label={t('platform')}>
      <select value={value} onChange={(e) => onChange(e.target.value as Platform)}>
        {PLATFORMS.map((p) => (
          <option key={p} value={p}>
            {p === 'taobao' ? 'Taobao' : '1688'}
          </option>
        ))}
      </select>
    </Field>
  );
}

const UPSTREAM_ID = /^[A-Za-z0-9-]{1,40}$/;

function SellerActionsSection() {
  const { t } = useOperationsMessages();
  return (
    <Section title={t('sellerActions')}>
      <p>{t('sellerActionsHint')}</p>
      <OrderActions />
      <RefundActions />
      <ProductActions />
    </Section>
  );
}

function OrderActions() {
  const { t } = useOperationsMessages();
  const { client, opKey } = useOperator();
  const queryClient = useQueryClient();
  const format = useFormat();
  const [platform, setPlatform] = useState<Platform>('taobao');
  const [orderId, setOrderId] = useState('');
  const [target, setTarget] = useState<{ platform: Platform; orderId: string } | null>(null);
  const [carrierCode, setCarrierCode] = useState('');
  const [trackingNo, setTrackingNo] = useState('');
  const [total, setTotal] = useState('');
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [done, setDone] = useState<string | null>(null);
  const key = opKey('operations', 'sandbox', 'order', target?.platform, target?.orderId);
  const order = useQuery({
    queryKey: key,
    queryFn: () =>
      target ? client.sandbox.order(target.platform, target.orderId) : Promise.reject(new Error('no order chosen')),
    enabled: target !== null,
  });
  const act = useMutation({
    mutationFn: (run: () => Promise<SandboxOrder>) => run(),
    onSuccess: async (o) => {
      queryClient.setQueryData(key, o);
      await queryClient.invalidateQueries({ queryKey: opKey('operations', 'sandbox', 'status') });
      await queryClient.invalidateQueries({ queryKey: opKey('operations', 'sandbox', 'events') });
    },
  });

  const lookUp = (e: FormEvent) => {
    e.preventDefault();
    const id = orderId.trim();
    if (!UPSTREAM_ID.test(id)) return setProblems({ orderId: t('orderIdInvalid') });
    setProblems({});
    setDone(null);
    act.reset();
    setTarget({ platform, orderId: id });
  };
  const ship = () => {
    if (!target) return;
    const found: Record<string, string> = {};
    const code = carrierCode.trim();
    const no = trackingNo.trim();
    if (code && code.length > 16) found.carrierCode = t('textLength', { min: 1, max: 16 });
    if (no && !/^[A-Za-z0-9-]{6,40}$/.test(no)) found.trackingNo = t('sellerTrackingInvalid');
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    setDone(null);
    act.mutate(
      () =>
        client.sandbox.ship(target.platform, target.orderId, {
          ...(code ? { carrierCode: code } : {}),
          ...(no ? { trackingNo: no } : {}),
        }),
      { onSuccess: () => setDone(t('sellerShipped')) },
    );
  };
  const reprice = () => {
    if (!target) return;
    const yuan = numberIn(total, 0.01, 1_000_000_000);
    if (yuan === null) return setProblems({ total: t('numberBetween', { min: 0.01, max: 1_000_000_000 }) });
    setProblems({});
    setDone(null);
    const fen = Math.round(yuan * 100);
    act.mutate(() => client.sandbox.modifyPrice(target.platform, target.orderId, fen), {
      onSuccess: (o) => setDone(t('sellerRepriced', { total: format.money(o.totalFen) })),
    });
  };

  return (
    <section aria-labelledby="seller-order">
      <h3 id="seller-order">{t('sellerOrder')}</h3>
      <form className="form-row" onSubmit={lookUp} noValidate>
        <PlatformSelect value={platform} onChange={setPlatform} />
        <Field label={t('upstreamOrderId')} error={problems.orderId}>
          <input value={orderId} onChange={(e) => setOrderId(e.target.value)} maxLength={40} />
        </Field>
        <div className="form-actions">
          <button type="submit" className="btn">
            {t('lookUp')}
          </button>
        </div>
      </form>
      {target && (
        <QueryView query={order}>
          {(o) => (
            <>
              <Facts
                items={[
                  [t('status'), <code key="s">{o.status}</code>],
                  [t('buyer'), o.buyerId],
                  [t('total'), format.money(o.totalFen)],
                  [t('priceChange'), format.money(o.adjustFen)],
                  [t('closeReason'), o.closeReason ?? '—'],
                ]}
              />
              <Table label={t('orderLines')}>
                <thead>
                  <tr>
                    <th scope="col">{t('orderLine')}</th>
                    <th scope="col">{t('productSku')}</th>
                    <th scope="col" className="num">
                      {t('quantity')}
                    </th>
                    <th scope="col">{t('status')}</th>
                    <th scope="col">{t('carrier')}</th>
                    <th scope="col">{t('trackingNo')}</th>
                  </tr>
                </thead>
                <tbody>
                  {o.lines.map((l) => (
                    <tr key={l.lineId}>
                      <td>{l.lineId}</td>
                      <td>
                        <code>
                          {l.productId} / {l.skuId ?? '—'}
                        </code>
                      </td>
                      <td className="num">{l.quantity}</td>
                      <td>
                        <code>{l.status}</code>
                      </td>
                      <td>{l.carrierCode ?? '—'}</td>
                      <td>
                        <code data-testid="seller-tracking-no">{l.trackingNo ?? '—'}</code>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </Table>
              <div className="form-row">
                <Field label={t('carrierCode')} hint={t('optional')} error={problems.carrierCode}>
                  <input value={carrierCode} onChange={(e) => setCarrierCode(e.target.value)} maxLength={16} />
                </Field>
                <Field label={t('sellerTrackingNo')} hint={t('optional')} error={problems.trackingNo}>
                  <input value={trackingNo} onChange={(e) => setTrackingNo(e.target.value)} maxLength={40} />
                </Field>
                <div className="form-actions">
                  <button type="button" className="btn btn-primary" disabled={act.isPending} onClick={ship}>
                    {t('shipNow')}
                  </button>
                </div>
              </div>
              <div className="form-row">
                <Field label={t('newTotalYuan')} error={problems.total}>
                  <input
                    type="number"
                    min={0.01}
                    step="0.01"
                    value={total}
                    onChange={(e) => setTotal(e.target.value)}
                  />
                </Field>
                <div className="form-actions">
                  <button type="button" className="btn" disabled={act.isPending} onClick={reprice}>
                    {t('changePrice')}
                  </button>
                </div>
              </div>
            </>
          )}
        </QueryView>
      )}
      {act.isError && <ErrorView error={act.error} />}
      {done && <Done>{done}</Done>}
    </section>
  );
}

function RefundActions() {
  const { t } = useOperationsMessages();
  const { client } = useOperator();
  const format = useFormat();
  const [platform, setPlatform] = useState<Platform>('taobao');
  const [refundId, setRefundId] = useState('');
  const [reason, setReason] = useState('');
  const [problems, setProblems] = useState<Record<string, string>>({});
  const act = useSandboxChange((run: () => Promise<SandboxRefund>) => run());

  const run = (action: 'agree' | 'refuse' | 'receive') => {
    const id = refundId.trim();
    const why = reason.trim();
    const found: Record<string, string> = {};
    if (!UPSTREAM_ID.test(id)) found.refundId = t('refundIdInvalid');
    if (action === 'refuse' && why.length > 200) found.reason = t('textLength', { min: 1, max: 200 });
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    act.mutate(() =>
      action === 'agree'
        ? client.sandbox.agreeRefund(platform, id)
        : action === 'refuse'
          ? client.sandbox.refuseRefund(platform, id, why || undefined)
          : client.sandbox.receiveReturn(platform, id),
    );
  };
  const r = act.data;

  return (
    <section aria-labelledby="seller-refund">
      <h3 id="seller-refund">{t('sellerRefund')}</h3>
      <div className="form-row">
        <PlatformSelect value={platform} onChange={setPlatform} />
        <Field label={t('upstreamRefundId')} error={problems.refundId}>
          <input value={refundId} onChange={(e) => setRefundId(e.target.value)} maxLength={40} />
        </Field>
        <Field label={t('refuseReason')} hint={t('optional')} error={problems.reason}>
          <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={200} />
        </Field>
      </div>
      <div className="form-actions">
        <button type="button" className="btn btn-primary" disabled={act.isPending} onClick={() => run('agree')}>
          {t('agreeRefund')}
        </button>
        <button type="button" className="btn btn-danger" disabled={act.isPending} onClick={() => run('refuse')}>
          {t('refuseRefund')}
        </button>
        <button type="button" className="btn" disabled={act.isPending} onClick={() => run('receive')}>
          {t('receiveReturn')}
        </button>
      </div>
      {act.isError && <ErrorView error={act.error} />}
      {r && (
        <>
          <Done>{t('refundNow', { id: r.refundId, status: r.status })}</Done>
          <Facts
            items={[
              [t('status'), <code key="s">{r.status}</code>],
              [t('refundType'), r.refundType],
              [t('amount'), format.money(r.amountFen)],
              [t('order'), `${r.orderId} / ${r.lineId}`],
              [t('refuseReason'), r.refuseReason ?? '—'],
              [t('deadline'), format.dateTime(r.deadline)],
            ]}
          />
        </>
      )}
    </section>
  );
}

function ProductActions() {
  const { t } = useOperationsMessages();
  const { client } = useOperator();
  const format = useFormat();
  const [platform, setPlatform] = useState<Platform>('taobao');
  const [productId, setProductId] = useState('');
  const [stock, setStock] = useState('');
  const [skuId, setSkuId] = useState('');
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [done, setDone] = useState<string | null>(null);
  const act = useSandboxChange((run: () => Promise<string>) => run());

  const idOk = () => {
    const id = productId.trim();
    if (UPSTREAM_ID.test(id)) return id;
    setProblems({ productId: t('productIdInvalid') });
    return null;
  };
  const setStockNow = () => {
    const id = idOk();
    if (!id) return;
    const n = intIn(stock, 0, 10_000_000);
    const sku = skuId.trim();
    const found: Record<string, string> = {};
    if (n === null) found.stock = t('wholeNumberBetween', { min: 0, max: 10_000_000 });
    if (sku && !UPSTREAM_ID.test(sku)) found.skuId = t('skuIdInvalid');
    setProblems(found);
    if (Object.keys(found).length > 0 || n === null) return;
    setDone(null);
    act.mutate(
      async () => {
        const r = await client.sandbox.setStock(platform, id, n, sku || undefined);
        return t('stockNow', { id: r.productId, stock: format.number(r.totalStock) });
      },
      { onSuccess: setDone },
    );
  };
  const list = (listed: boolean) => {
    const id = idOk();
    if (!id) return;
    setProblems({});
    setDone(null);
    act.mutate(
      async () => {
        const r = await client.sandbox.setListed(platform, id, listed);
        return t('listingNow', { id: r.productId, status: t(`listing_${r.status}`) });
      },
      { onSuccess: setDone },
    );
  };

  return (
    <section aria-labelledby="seller-product">
      <h3 id="seller-product">{t('sellerProduct')}</h3>
      <div className="form-row">
        <PlatformSelect value={platform} onChange={setPlatform} />
        <Field label={t('productId')} error={problems.productId}>
          <input value={productId} onChange={(e) => setProductId(e.target.value)} maxLength={40} />
        </Field>
      </div>
      <div className="form-row">
        <Field label={t('stock')} error={problems.stock}>
          <input type="number" min={0} inputMode="numeric" value={stock} onChange={(e) => setStock(e.target.value)} />
        </Field>
        <Field label={t('skuId')} hint={t('skuAllHint')} error={problems.skuId}>
          <input value={skuId} onChange={(e) => setSkuId(e.target.value)} maxLength={40} />
        </Field>
        <div className="form-actions">
          <button type="button" className="btn btn-primary" disabled={act.isPending} onClick={setStockNow}>
            {t('setStock')}
          </button>
        </div>
      </div>
      <div className="form-actions">
        <button type="button" className="btn btn-danger" disabled={act.isPending} onClick={() => list(false)}>
          {t('delist')}
        </button>
        <button type="button" className="btn" disabled={act.isPending} onClick={() => list(true)}>
          {t('relist')}
        </button>
      </div>
      {act.isError && <ErrorView error={act.error} />}
      {done && <Done>{done}</Done>}
    </section>
  );
}
