import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('gives the documented defaults on an empty environment', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.host).toBe('127.0.0.1');
    expect(c.databaseUrl).toBeUndefined();
    expect(c.sqliteFile.endsWith('/data/ponte.db')).toBe(true);
    expect(c.rateLimit).toEqual({ perSecond: 100, burst: 200, store: 'memory' });
    expect(c.signatureWindowMs).toBe(300_000);
    expect(c.bodyLimit).toBe(1_048_576);
    expect(c.runWorkers).toBe(true);
    expect(c.createDemoDeveloper).toBe(true);
  });

  it('lists every invalid variable at once', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        LOG_LEVEL: 'loud',
        RATE_LIMIT_STORE: 'redis',
        PONTE_WORKERS: 'maybe',
        PONTE_MASTER_KEY: 'c2hvcnQ=',
        PONTE_ADMIN_TOKEN: 'short',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const names = (error as ConfigError).problems.map((p) => p.split(':')[0]);
    expect(names.sort()).toEqual(
      [
        'DATABASE_URL',
        'LOG_LEVEL',
        'PONTE_ADMIN_TOKEN',
        'PONTE_MASTER_KEY',
        'PONTE_WORKERS',
        'PORT',
        'RATE_LIMIT_STORE',
      ].sort(),
    );
  });

  it('reads PostgreSQL, limits and flags', () => {
    const c = loadConfig({
      DATABASE_URL: 'postgres://u@h/db',
      RATE_LIMIT_PER_SECOND: '5',
      RATE_LIMIT_BURST: '10',
      RATE_LIMIT_STORE: 'database',
      PONTE_WORKERS: 'off',
      SIGNATURE_WINDOW_SECONDS: '60',
    });
    expect(c.databaseUrl).toBe('postgres://u@h/db');
    expect(c.rateLimit).toEqual({ perSecond: 5, burst: 10, store: 'database' });
    expect(c.runWorkers).toBe(false);
    expect(c.signatureWindowMs).toBe(60_000);
  });

  it('holds an Idempotency-Key 60 s by default, and never less than twice the upstream timeout', () => {
    expect(loadConfig({}).idempotencyLockMs).toBe(60_000);
    expect(loadConfig({ IDEMPOTENCY_LOCK_MS: '25000' }).idempotencyLockMs).toBe(25_000);
    expect(() => loadConfig({ IDEMPOTENCY_LOCK_MS: '15000' })).toThrow(/IDEMPOTENCY_LOCK_MS: expected at least twice/);
    expect(loadConfig({ IDEMPOTENCY_LOCK_MS: '15000', UPSTREAM_TIMEOUT_MS: '5000' }).idempotencyLockMs).toBe(15_000);
  });

  it('runs one process by default, N or one per core when told, and shares rate limits when several serve', () => {
    const one = loadConfig({});
    expect(one.processes).toBe(1);
    expect(one.rateLimit.store).toBe('memory');
    expect(one.metricsToken).toBeUndefined();
    const several = loadConfig({ PONTE_PROCESSES: '3', METRICS_TOKEN: 'm'.repeat(24), LOG_FORMAT: 'json' });
    expect(several.processes).toBe(3);
    expect(several.rateLimit.store).toBe('database');
    expect(several.metricsToken).toBe('m'.repeat(24));
    expect(several.logFormat).toBe('json');
    expect(loadConfig({ PONTE_PROCESSES: 'auto' }).processes).toBe(availableParallelism());
    // PostgreSQL serves several processes or machines: one bucket per key for all of them.
    expect(loadConfig({ DATABASE_URL: 'postgres://p@h/d' }).rateLimit.store).toBe('database');
    expect(loadConfig({ PONTE_PROCESSES: '2', RATE_LIMIT_STORE: 'memory' }).rateLimit.store).toBe('memory');
    let error: unknown;
    try {
      loadConfig({ PONTE_PROCESSES: 'many', METRICS_TOKEN: 'short', LOG_FORMAT: 'xml' });
    } catch (err) {
      error = err;
    }
    expect((error as ConfigError).problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'LOG_FORMAT',
      'METRICS_TOKEN',
      'PONTE_PROCESSES',
    ]);
  });

  it('keeps both platforms on the sandbox, with the real gateways as defaults, until told otherwise', () => {
    const { upstreams } = loadConfig({});
    expect(upstreams.alibaba).toMatchObject({ mode: 'sandbox', accessToken: undefined });
    expect(upstreams.alibaba.gateway).toEqual({
      baseUrl: 'https://gw.open.1688.com',
      authUrl: 'https://auth.1688.com',
      appKey: undefined,
      appSecret: undefined,
    });
    expect(upstreams.taobao).toMatchObject({ mode: 'sandbox', chatAccount: undefined });
    expect(upstreams.taobao.gateway.baseUrl).toBe('https://api.taobao.global');
    expect(upstreams).toMatchObject({ retries: 2, breakerFailures: 5, breakerOpenMs: 30_000, language: 'en' });
  });

  it('reads a real upstream, and refuses one without its app or with half a chat account', () => {
    const c = loadConfig({
      UPSTREAM_1688: 'aop',
      AOP_GATEWAY_URL: 'http://127.0.0.1:4688/',
      AOP_APP_KEY: 'k',
      AOP_APP_SECRET: 's',
      AOP_ACCESS_TOKEN: 'fixed',
      UPSTREAM_RECONCILE_SECONDS: '60',
    });
    expect(c.upstreams.alibaba).toMatchObject({ mode: 'aop', accessToken: 'fixed' });
    expect(c.upstreams.alibaba.gateway).toMatchObject({ baseUrl: 'http://127.0.0.1:4688', appKey: 'k' });
    expect(c.upstreams.reconcileIntervalMs).toBe(60_000);
    let error: unknown;
    try {
      loadConfig({
        UPSTREAM_TAOBAO: 'taobao-global',
        TAOBAO_GLOBAL_APP_KEY: 'k',
        TAOBAO_GLOBAL_CHAT_LOGIN: 'me',
        AOP_GATEWAY_URL: 'ftp://x',
        UPSTREAM_1688: 'real',
      });
    } catch (err) {
      error = err;
    }
    const problems = (error as ConfigError).problems;
    expect(problems.some((p) => p.startsWith('UPSTREAM_TAOBAO=taobao-global: set TAOBAO_GLOBAL_APP_KEY'))).toBe(true);
    expect(problems.some((p) => p.startsWith('TAOBAO_GLOBAL_CHAT_LOGIN and TAOBAO_GLOBAL_CHAT_PASSWORD'))).toBe(true);
    expect(problems.some((p) => p.startsWith('AOP_GATEWAY_URL'))).toBe(true);
    expect(problems.some((p) => p.startsWith('UPSTREAM_1688'))).toBe(true);
  });
});
