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
});
