import type Sqlite from 'better-sqlite3';
import type { CatalogParams } from './catalog/generate.js';
import type { Platform } from './catalog/model.js';
import type { ClockState } from './market/clock.js';
import type { Fault } from './market/faults.js';

export interface PlatformCounts {
  goods: number;
  shops: number;
  orders: number;
  refunds: number;
}

/** The sandbox market at a glance (`SandboxMarket.status`, `GET /sandbox/status`). */
export interface SandboxStatus {
  /** The catalog it was seeded with; seed and size 0 before the first seed. */
  catalog: CatalogParams;
  clock: ClockState;
  taobao: PlatformCounts;
  alibaba: PlatformCounts;
  faults: Fault[];
  /** Events not yet delivered to the platform. */
  undeliveredEvents: number;
}

/** The counts of `status`, read from the sandbox store. */
export function storeCounts(db: Sqlite.Database): Pick<SandboxStatus, 'taobao' | 'alibaba' | 'undeliveredEvents'> {
  const count = (sql: string, ...args: string[]) => (db.prepare(sql).get(...args) as { n: number }).n;
  const counts = (platform: Platform): PlatformCounts => ({
    goods: count('select count(*) as n from goods where platform = ?', platform),
    shops: count('select count(*) as n from shops where platform = ?', platform),
    orders: count('select count(*) as n from orders where platform = ?', platform),
    refunds: count('select count(*) as n from refunds where platform = ?', platform),
  });
  // One read transaction: the counts come from one snapshot, also while a reset commits.
  return db.transaction(() => ({
    taobao: counts('taobao'),
    alibaba: counts('1688'),
    undeliveredEvents: count('select count(*) as n from events where delivered_at is null'),
  }))();
}
