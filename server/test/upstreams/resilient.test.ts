import { describe, expect, it } from 'vitest';
import { GatewayError as AopGatewayError } from '../../src/providers/aop/errors.js';
import {
  MarketRejection,
  UpstreamError,
  UpstreamTimeoutError,
  UpstreamUnsupportedError,
} from '../../src/providers/errors.js';
import { guardProvider } from '../../src/providers/guard.js';
import type { CallOptions, MarketProvider, ProviderOperation } from '../../src/providers/market.js';
import { circuitState, type ResilienceOptions, resilientProvider } from '../../src/providers/resilient.js';
import { GatewayError as IopGatewayError } from '../../src/providers/taobao-global/errors.js';
import type { TokenSource } from '../../src/providers/tokens.js';

/** A scripted answer: a value to resolve with, or an error to throw. */
type Step = { ok: unknown } | { fail: unknown };

/**
 * A provider whose operations answer from scripts, one step per call (the last step repeats), recording every
 * call's arguments. Only what a test names exists; the resilience layer never looks at the rest.
 */
function fakeProvider(scripts: Partial<Record<ProviderOperation, Step[]>>) {
  const calls: Partial<Record<ProviderOperation, unknown[][]>> = {};
  const provider: Record<string, unknown> = { platform: 'alibaba', ownsPictureUrl: () => false };
  for (const [operation, steps] of Object.entries(scripts) as [ProviderOperation, Step[]][]) {
    calls[operation] = [];
    provider[operation] = async (...args: unknown[]) => {
      const list = calls[operation] as unknown[][];
      list.push(args);
      const step = steps[Math.min(list.length - 1, steps.length - 1)] as Step;
      if ('fail' in step) throw step.fail;
      return step.ok;
    };
  }
  const count = (operation: ProviderOperation) => calls[operation]?.length ?? 0;
  return { provider: provider as unknown as MarketProvider, calls, count };
}

const network = () => new UpstreamError('com.alibaba.product:product.get', 'cannot reach the gateway (ECONNRESET)');
const throttled = () => new AopGatewayError('ns:api', 'gw.QosAppFrequencyLimit', 'too fast', 400, 'rate_limited');
const aopAuth = () => new AopGatewayError('ns:api', '401', 'Request need user authorized', 401, 'auth');
const iopAuth = () => new IopGatewayError('/purchase/order/pay', 'IllegalAccessToken', 'expired', 'req-1', 200);
const params = () => new IopGatewayError('/product/get', 'MissingParameter', 'item_id', 'req-2', 200);

function harness(overrides: Partial<ResilienceOptions> = {}) {
  let t = Date.UTC(2026, 5, 1, 3, 0, 0);
  const delays: number[] = [];
  const warnings: { fields: object; msg: string }[] = [];
  const options: ResilienceOptions = {
    upstream: 'aop',
    retries: 2,
    retryBaseMs: 100,
    breakerFailures: 3,
    breakerOpenMs: 30_000,
    now: () => t,
    sleep: async (ms) => {
      delays.push(ms);
    },
    random: () => 0.5,
    log: { info: () => {}, warn: (fields, msg) => warnings.push({ fields, msg }) },
    ...overrides,
  };
  return {
    options,
    delays,
    warnings,
    advance: (ms: number) => {
      t += ms;
    },
  };
}

function tokenSource(renewals: Array<string | Error> = ['fresh-token']) {
  let renewed = 0;
  const source: TokenSource = {
    accessToken: async () => 'token',
    renew: async () => {
      const next = renewals[Math.min(renewed, renewals.length - 1)];
      renewed += 1;
      if (next instanceof Error) throw next;
      return next as string;
    },
  };
  return { source, renewed: () => renewed };
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (err: unknown) => err,
  );
}

const PRODUCT = { productId: 'p-1' };

describe('resilientProvider: retries', () => {
  it('retries a read after transient failures, backing off with full jitter, then answers', async () => {
    const { provider, count, calls } = fakeProvider({
      getProduct: [
        { fail: network() },
        { fail: new AopGatewayError('ns:api', 'boom', '', 500, 'unknown') },
        { ok: PRODUCT },
      ],
    });
    const h = harness();
    const resilient = resilientProvider(provider, h.options);
    const signal = new AbortController().signal;
    await expect(resilient.getProduct('p-1', { signal })).resolves.toEqual(PRODUCT);
    expect(count('getProduct')).toBe(3);
    // Each attempt gets the same arguments and signal.
    expect(calls.getProduct?.[2]).toEqual(['p-1', { signal }]);
    // random() = 0.5 of a step that doubles from 100 ms.
    expect(h.delays).toEqual([50, 100]);
    expect(h.warnings.map((w) => w.fields)).toEqual([
      expect.objectContaining({ upstream: 'aop', operation: 'getProduct', attempt: 1, kind: 'unknown', delayMs: 50 }),
      expect.objectContaining({ upstream: 'aop', operation: 'getProduct', attempt: 2, kind: 'unknown', delayMs: 100 }),
    ]);
    // Logs carry no arguments (they may hold addresses).
    expect(JSON.stringify(h.warnings)).not.toContain('p-1');
  });

  it('gives up after the configured retries with the last failure', async () => {
    const last = network();
    const { provider, count } = fakeProvider({ search: [{ fail: network() }, { fail: network() }, { fail: last }] });
    const h = harness({ retries: 2 });
    const err = await failureOf(resilientProvider(provider, h.options).search({ keyword: 'x' } as never));
    expect(err).toBe(last);
    expect(count('search')).toBe(3);
  });

  it('caps the backoff at 10 s', async () => {
    const { provider } = fakeProvider({ getShop: [{ fail: network() }] });
    const h = harness({ retries: 4, retryBaseMs: 4_000, random: () => 1, breakerFailures: 100 });
    await failureOf(resilientProvider(provider, h.options).getShop('s-1'));
    expect(h.delays).toEqual([4_000, 8_000, 10_000, 10_000]);
  });

  it('never retries a write that is not idempotent', async () => {
    const { provider, count } = fakeProvider({ payOrder: [{ fail: network() }, { ok: { orderId: 'o-1' } }] });
    const h = harness();
    const err = await failureOf(resilientProvider(provider, h.options).payOrder('o-1', 'b-1', 100 as never));
    expect(err).toBeInstanceOf(UpstreamError);
    expect(count('payOrder')).toBe(1);
    expect(h.delays).toEqual([]);
  });

  it('retries createOrder only when the upstream makes it idempotent', async () => {
    const order = { orderId: 'o-1' };
    const plain = fakeProvider({ createOrder: [{ fail: network() }, { ok: order }] });
    await failureOf(resilientProvider(plain.provider, harness().options).createOrder({} as never));
    expect(plain.count('createOrder')).toBe(1);

    const idempotent = fakeProvider({ createOrder: [{ fail: network() }, { ok: order }] });
    const h = harness({ idempotentWrites: new Set<ProviderOperation>(['createOrder']) });
    await expect(resilientProvider(idempotent.provider, h.options).createOrder({} as never)).resolves.toEqual(order);
    expect(idempotent.count('createOrder')).toBe(2);
  });

  it('never retries a refusal about the request', async () => {
    const refusals: unknown[] = [
      new MarketRejection('not_found', 'no such product'),
      new UpstreamUnsupportedError('getProduct', 'aop'),
      params(),
      new AopGatewayError('ns:api', 'gw.APIUnsupported', 'no such API', 400, 'unsupported'),
      new AopGatewayError('ns:api', 'gw.SignatureInvalid', 'bad signature', 400, 'signature'),
      new TypeError('a bug, not the upstream'),
    ];
    for (const refusal of refusals) {
      const { provider, count } = fakeProvider({ getProduct: [{ fail: refusal }, { ok: PRODUCT }] });
      const h = harness();
      expect(await failureOf(resilientProvider(provider, h.options).getProduct('p-1'))).toBe(refusal);
      expect(count('getProduct')).toBe(1);
      expect(h.delays).toEqual([]);
    }
  });

  it('backs off a rate-limited call by at least half of each step, however the jitter falls', async () => {
    const limited = fakeProvider({ getProduct: [{ fail: throttled() }, { fail: throttled() }, { ok: PRODUCT }] });
    const h = harness({ random: () => 0 });
    await expect(resilientProvider(limited.provider, h.options).getProduct('p-1')).resolves.toEqual(PRODUCT);
    expect(h.delays).toEqual([50, 100]);
    expect(h.warnings[0]?.fields).toMatchObject({ kind: 'rate_limited', attempt: 1 });

    // The same jitter lets a network failure come back at once.
    const flaky = fakeProvider({ getProduct: [{ fail: network() }, { fail: network() }, { ok: PRODUCT }] });
    const h2 = harness({ random: () => 0 });
    await resilientProvider(flaky.provider, h2.options).getProduct('p-1');
    expect(h2.delays).toEqual([0, 0]);

    const h3 = harness({ random: () => 1 });
    const again = fakeProvider({ getProduct: [{ fail: throttled() }, { ok: PRODUCT }] });
    await resilientProvider(again.provider, h3.options).getProduct('p-1');
    expect(h3.delays).toEqual([100]);
  });
});

describe('resilientProvider: a refused token', () => {
  it('renews the token once and repeats the call once, even a write that is not idempotent', async () => {
    const { provider, count } = fakeProvider({ payOrder: [{ fail: iopAuth() }, { ok: { orderId: 'o-1' } }] });
    const tokens = tokenSource();
    const h = harness({ tokens: tokens.source });
    await expect(resilientProvider(provider, h.options).payOrder('o-1', 'b-1', 100 as never)).resolves.toEqual({
      orderId: 'o-1',
    });
    expect(tokens.renewed()).toBe(1);
    expect(count('payOrder')).toBe(2);
    expect(h.delays).toEqual([]);
  });

  it('throws a second auth refusal without renewing again', async () => {
    const second = aopAuth();
    const { provider, count } = fakeProvider({ getOrder: [{ fail: aopAuth() }, { fail: second }] });
    const tokens = tokenSource();
    const h = harness({ tokens: tokens.source });
    expect(await failureOf(resilientProvider(provider, h.options).getOrder('o-1', 'b-1'))).toBe(second);
    expect(tokens.renewed()).toBe(1);
    expect(count('getOrder')).toBe(2);
  });

  it('throws a renewal that fails, and does not count it against the circuit', async () => {
    const refused = new UpstreamError('token', "aop's configured access token was refused and cannot be refreshed");
    const { provider, count } = fakeProvider({ getOrder: [{ fail: aopAuth() }] });
    const tokens = tokenSource([refused]);
    const h = harness({ tokens: tokens.source, breakerFailures: 1 });
    const resilient = resilientProvider(provider, h.options);
    expect(await failureOf(resilient.getOrder('o-1', 'b-1'))).toBe(refused);
    expect(count('getOrder')).toBe(1);
    expect(circuitState(resilient)?.find((c) => c.operation === 'getOrder')).toMatchObject({ state: 'closed' });
  });

  it('throws an auth refusal as it is when there is no token source', async () => {
    const refusal = aopAuth();
    const { provider, count } = fakeProvider({ getOrder: [{ fail: refusal }, { ok: {} }] });
    expect(await failureOf(resilientProvider(provider, harness().options).getOrder('o-1', 'b-1'))).toBe(refusal);
    expect(count('getOrder')).toBe(1);
  });

  it('retries transient failures after a renewal as usual', async () => {
    const { provider, count } = fakeProvider({
      getOrder: [{ fail: aopAuth() }, { fail: network() }, { ok: { orderId: 'o-1' } }],
    });
    const tokens = tokenSource();
    const h = harness({ tokens: tokens.source });
    await expect(resilientProvider(provider, h.options).getOrder('o-1', 'b-1')).resolves.toEqual({ orderId: 'o-1' });
    expect(count('getOrder')).toBe(3);
    expect(h.delays).toEqual([50]);
  });
});

describe('resilientProvider: the circuit breaker', () => {
  it('opens after consecutive failures, answers at once, lets one trial through later and closes on success', async () => {
    const steps: Step[] = [{ fail: network() }, { fail: network() }, { fail: network() }, { ok: PRODUCT }];
    const { provider, count } = fakeProvider({ getProduct: steps });
    const h = harness({ retries: 0 });
    const resilient = resilientProvider(provider, h.options);
    for (let i = 0; i < 3; i++) await failureOf(resilient.getProduct('p-1'));
    expect(count('getProduct')).toBe(3);
    expect(stateOf(resilient, 'getProduct')).toEqual({
      operation: 'getProduct',
      state: 'open',
      failures: 3,
      openUntil: Date.UTC(2026, 5, 1, 3, 0, 30),
    });
    expect(h.warnings.map((w) => w.msg)).toContain('upstream circuit opened');

    h.advance(10_000);
    const refused = await failureOf(resilient.getProduct('p-1'));
    expect(refused).toBeInstanceOf(UpstreamError);
    expect(refused).not.toBeInstanceOf(AopGatewayError);
    expect((refused as UpstreamError).reason).toBe('aop is failing: circuit open for getProduct for another 20 s');
    expect(count('getProduct')).toBe(3);

    h.advance(20_000);
    expect(stateOf(resilient, 'getProduct')?.state).toBe('half_open');
    await expect(resilient.getProduct('p-1')).resolves.toEqual(PRODUCT);
    expect(count('getProduct')).toBe(4);
    expect(stateOf(resilient, 'getProduct')).toEqual({
      operation: 'getProduct',
      state: 'closed',
      failures: 0,
      openUntil: null,
    });
    await expect(resilient.getProduct('p-1')).resolves.toEqual(PRODUCT);
  });

  it('reopens on a failed trial, which makes a single attempt', async () => {
    const { provider, count } = fakeProvider({ getProduct: [{ fail: network() }] });
    const h = harness({ retries: 1, breakerFailures: 2 });
    const resilient = resilientProvider(provider, h.options);
    await failureOf(resilient.getProduct('p-1'));
    await failureOf(resilient.getProduct('p-1'));
    // Two calls of two attempts each: the breaker counts calls, not attempts.
    expect(count('getProduct')).toBe(4);
    expect(stateOf(resilient, 'getProduct')?.state).toBe('open');

    h.advance(30_000);
    const trial = await failureOf(resilient.getProduct('p-1'));
    expect(trial).toBeInstanceOf(UpstreamError);
    expect(count('getProduct')).toBe(5);
    expect(stateOf(resilient, 'getProduct')).toMatchObject({
      state: 'open',
      openUntil: Date.UTC(2026, 5, 1, 3, 1, 0),
    });
    await failureOf(resilient.getProduct('p-1'));
    expect(count('getProduct')).toBe(5);
  });

  it('refuses other calls while the trial call runs', async () => {
    let release: (value: unknown) => void = () => {};
    let calls = 0;
    const provider = {
      platform: 'alibaba',
      getProduct: async () => {
        calls += 1;
        if (calls <= 1) throw network();
        return new Promise((resolve) => {
          release = resolve;
        });
      },
    } as unknown as MarketProvider;
    const h = harness({ retries: 0, breakerFailures: 1 });
    const resilient = resilientProvider(provider, h.options);
    await failureOf(resilient.getProduct('p-1'));
    h.advance(30_000);
    const trial = resilient.getProduct('p-1');
    await Promise.resolve();
    expect(stateOf(resilient, 'getProduct')?.state).toBe('half_open');
    const concurrent = await failureOf(resilient.getProduct('p-2'));
    expect((concurrent as UpstreamError).reason).toMatch(/^aop is failing: circuit open for getProduct/);
    expect(calls).toBe(2);
    release(PRODUCT);
    await expect(trial).resolves.toEqual(PRODUCT);
    expect(stateOf(resilient, 'getProduct')?.state).toBe('closed');
  });

  it('keeps one circuit per operation', async () => {
    const { provider, count } = fakeProvider({ search: [{ fail: network() }], getProduct: [{ ok: PRODUCT }] });
    const h = harness({ retries: 0, breakerFailures: 2 });
    const resilient = resilientProvider(provider, h.options);
    await failureOf(resilient.search({} as never));
    await failureOf(resilient.search({} as never));
    await failureOf(resilient.search({} as never));
    expect(count('search')).toBe(2);
    await expect(resilient.getProduct('p-1')).resolves.toEqual(PRODUCT);
    const states = circuitState(resilient) ?? [];
    expect(states.find((c) => c.operation === 'search')?.state).toBe('open');
    expect(states.find((c) => c.operation === 'getProduct')?.state).toBe('closed');
    expect(states.every((c) => c.state === 'closed' || c.operation === 'search')).toBe(true);
  });

  it('counts only failures of the upstream itself, and a healthy answer resets the count', async () => {
    const { provider } = fakeProvider({
      getProduct: [
        { fail: network() },
        { fail: throttled() },
        { fail: new MarketRejection('not_found', 'gone') },
        { fail: network() },
        { fail: params() },
        { fail: new UpstreamUnsupportedError('getProduct', 'aop') },
        { fail: network() },
      ],
    });
    const h = harness({ retries: 0, breakerFailures: 3 });
    const resilient = resilientProvider(provider, h.options);
    const failures: number[] = [];
    for (let i = 0; i < 7; i++) {
      await failureOf(resilient.getProduct('p-1'));
      failures.push(stateOf(resilient, 'getProduct')?.failures ?? -1);
    }
    // Network and throttle count; a rejection and bad parameters show a gateway that answers; an operation
    // the provider has no API for says nothing either way.
    expect(failures).toEqual([1, 2, 0, 1, 0, 0, 1]);
    expect(stateOf(resilient, 'getProduct')?.state).toBe('closed');
  });

  it('answers null for a provider that is not resilient', () => {
    expect(circuitState(fakeProvider({}).provider)).toBeNull();
  });
});

describe('resilientProvider: aborts and the guard', () => {
  it('stops retrying when the signal aborts during the backoff, and does not count it', async () => {
    const last = network();
    const { provider, count } = fakeProvider({ getProduct: [{ fail: last }] });
    // The default sleep, so that the abort has a real wait to cut short.
    const h = harness({ sleep: undefined, retries: 5, retryBaseMs: 60_000, breakerFailures: 1 });
    const resilient = resilientProvider(provider, h.options);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('caller gave up')), 20);
    const started = Date.now();
    expect(await failureOf(resilient.getProduct('p-1', { signal: controller.signal }))).toBe(last);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(count('getProduct')).toBe(1);
    expect(stateOf(resilient)?.state).toBe('closed');
  });

  it('makes no further attempt once the signal aborted during an attempt', async () => {
    const controller = new AbortController();
    let calls = 0;
    const provider = {
      platform: 'alibaba',
      getProduct: async (_id: string, opts?: CallOptions) => {
        calls += 1;
        controller.abort(new Error('deadline'));
        opts?.signal?.throwIfAborted();
      },
    } as unknown as MarketProvider;
    const h = harness({ breakerFailures: 1 });
    const resilient = resilientProvider(provider, h.options);
    const err = await failureOf(resilient.getProduct('p-1', { signal: controller.signal }));
    expect((err as Error).message).toBe('deadline');
    expect(calls).toBe(1);
    expect(h.delays).toEqual([]);
    expect(stateOf(resilient)?.state).toBe('closed');
  });

  it("is bounded by the guard's deadline, retries and backoff included", async () => {
    const { provider, count } = fakeProvider({ getProduct: [{ fail: network() }] });
    const h = harness({ sleep: undefined, retries: 10, retryBaseMs: 40, random: () => 1, breakerFailures: 100 });
    const guarded = guardProvider(resilientProvider(provider, h.options), { timeoutMs: 150 });
    const started = Date.now();
    expect(await failureOf(guarded.getProduct('p-1'))).toBeInstanceOf(UpstreamTimeoutError);
    expect(Date.now() - started).toBeLessThan(1_000);
    // Backoffs of 40, 80, 160 ms: the deadline falls during the third wait, which its signal cuts short.
    const attempts = count('getProduct');
    expect(attempts).toBeGreaterThanOrEqual(2);
    expect(attempts).toBeLessThanOrEqual(3);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(count('getProduct')).toBe(attempts);
  });
});

function stateOf(provider: MarketProvider, operation: ProviderOperation = 'getProduct') {
  return circuitState(provider)?.find((c) => c.operation === operation);
}
