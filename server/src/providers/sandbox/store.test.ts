import { describe, expect, it } from 'vitest';
import { PlatformSearch } from './search-index.js';
import { SandboxStore } from './store.js';
import { VOCABULARY } from './vocabulary.js';

function seeded(seed: number, goods: number): SandboxStore {
  const store = new SandboxStore(':memory:');
  store.seed(VOCABULARY, { seed, goodsPerPlatform: goods }, { features: (g) => PlatformSearch.features(g) });
  return store;
}

describe('the sandbox store', () => {
  it('two seeds with the same parameters give identical catalogs; other parameters do not', () => {
    const a = seeded(9, 300);
    const b = seeded(9, 300);
    const c = seeded(10, 300);
    const d = seeded(9, 301);
    expect(a.digest()).toBe(b.digest());
    expect(c.digest()).not.toBe(a.digest());
    expect(d.digest()).not.toBe(a.digest());
    const count = (s: SandboxStore, table: string) =>
      (s.db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
    expect(count(a, 'goods')).toBe(600);
    expect(count(a, 'image_features')).toBe(600);
    expect(count(a, 'skus')).toBeGreaterThan(600);
    for (const s of [a, b, c, d]) s.close();
  });

  it('reseeding starts the market over and moves the generation on', () => {
    const store = seeded(3, 50);
    const generation = store.generation();
    store.db.prepare("insert into counters (name, value) values ('x', 1)").run();
    store.seed(VOCABULARY, { seed: 3, goodsPerPlatform: 50 });
    expect(store.generation()).toBe(generation + 1);
    expect(store.db.prepare('select count(*) as n from counters').get()).toEqual({ n: 0 });
    expect(store.seededWith()).toEqual({ seed: 3, goodsPerPlatform: 50 });
    store.close();
  });
});
