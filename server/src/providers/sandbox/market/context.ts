import type Sqlite from 'better-sqlite3';
import type { Carrier, Localized, Platform } from '../../types.js';
import type { CatalogReader } from '../catalog/reader.js';
import type { MarketClock } from './clock.js';
import type { EventLog } from './events.js';
import type { PolicyStore } from './policy.js';

/** What the market's order, refund and seller code share. */
export interface MarketContext {
  db: Sqlite.Database;
  catalog: CatalogReader;
  clock: MarketClock;
  policy: PolicyStore;
  events: EventLog;
}

/** The next value of a named counter (ids are sequential per platform, like the real ones). */
export function nextCounter(db: Sqlite.Database, name: string): number {
  const row = db
    .prepare(
      `insert into counters (name, value) values (?, 1)
       on conflict (name) do update set value = value + 1 returning value`,
    )
    .get(name) as { value: number };
  return row.value;
}

/** A product changed: its version moves past every other, so indexes and caches can catch up. */
export function touchGood(db: Sqlite.Database, platform: Platform, productId: string): number {
  const version = nextCounter(db, 'goods_version');
  db.prepare('update goods set version = ? where platform = ? and id = ?').run(version, platform, productId);
  return version;
}

/** FNV-1a of a string: the seeded choices of the simulated sellers (carrier, decisions) use it. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A number in [0, 1) derived from a string. */
export function unit(text: string): number {
  return hash32(text) / 0x1_0000_0000;
}

const l = (zh: string, en: string, vi: string, th: string, es: string): Localized => ({ zh, en, vi, th, es });

/** Domestic carriers with the shape of their tracking numbers. */
export const CARRIERS: (Carrier & { prefix: string; digits: number })[] = [
  {
    code: 'SF',
    name: l('顺丰速运', 'SF Express', 'SF Express', 'เอสเอฟ เอ็กซ์เพรส', 'SF Express'),
    prefix: 'SF',
    digits: 13,
  },
  {
    code: 'ZTO',
    name: l('中通快递', 'ZTO Express', 'ZTO Express', 'ZTO เอ็กซ์เพรส', 'ZTO Express'),
    prefix: '78',
    digits: 12,
  },
  {
    code: 'YTO',
    name: l('圆通速递', 'YTO Express', 'YTO Express', 'YTO เอ็กซ์เพรส', 'YTO Express'),
    prefix: 'YT',
    digits: 13,
  },
  {
    code: 'STO',
    name: l('申通快递', 'STO Express', 'STO Express', 'STO เอ็กซ์เพรส', 'STO Express'),
    prefix: '77',
    digits: 13,
  },
  {
    code: 'YUNDA',
    name: l('韵达快递', 'Yunda Express', 'Yunda Express', 'ยุนดา เอ็กซ์เพรส', 'Yunda Express'),
    prefix: '43',
    digits: 13,
  },
  {
    code: 'JTSD',
    name: l('极兔速递', 'J&T Express', 'J&T Express', 'เจแอนด์ที เอ็กซ์เพรส', 'J&T Express'),
    prefix: 'JT',
    digits: 13,
  },
  {
    code: 'EMS',
    name: l('中国邮政EMS', 'China Post EMS', 'EMS Bưu chính Trung Quốc', 'ไปรษณีย์จีน EMS', 'EMS de Correos de China'),
    prefix: '98',
    digits: 11,
  },
  {
    code: 'JD',
    name: l('京东物流', 'JD Logistics', 'JD Logistics', 'เจดี โลจิสติกส์', 'JD Logistics'),
    prefix: 'JDVA',
    digits: 11,
  },
];

export function carrier(code: string): (typeof CARRIERS)[number] | undefined {
  return CARRIERS.find((c) => c.code === code);
}
