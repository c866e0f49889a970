import { beforeAll, describe, expect, it } from 'vitest';
import { generateGoods } from '../catalog/generate.js';
import type { Platform, SandboxGood } from '../catalog/model.js';
import { Rng } from '../catalog/random.js';
import { VOCABULARY } from '../vocabulary.js';
import { type IndexDoc, type IndexQuery, type IndexSort, KeywordIndex } from './keyword-index.js';
import { analyze, documentTerms } from './tokenize.js';

const PARAMS = { seed: 3, goodsPerPlatform: 2000 };
const SORTS: IndexSort[] = ['relevance', 'price_asc', 'price_desc', 'sales_desc'];
const TOP_OF = new Map(VOCABULARY.categories.map((c) => [c.key, c.parent]));

function docOf(good: SandboxGood): IndexDoc {
  return {
    index: good.index,
    terms: documentTerms(good),
    category: good.category,
    topCategory: TOP_OF.get(good.category) ?? '',
    shopId: good.shopId,
    priceFen: good.priceFen,
    sales: good.sales,
    shipIn24h: good.shipIn24h,
    strictSelection: good.strictSelection,
    active: true,
  };
}

function build(docs: IndexDoc[]): KeywordIndex {
  const index = new KeywordIndex();
  for (const d of docs) index.add(d);
  return index;
}

function stripAccents(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, (c) => (c === 'đ' ? 'd' : 'D'));
}

/** The whole ordered result of a query, computed the slow and obvious way over the docs. */
function bruteForce(docs: IndexDoc[], q: Omit<IndexQuery, 'offset' | 'limit'>): number[] {
  const colours = [...q.terms, ...(q.anyOf ?? []).flat()].filter((t) => t.startsWith('c:'));
  const hits = docs.filter(
    (d) =>
      d.active &&
      q.terms.every((t) => d.terms.includes(t)) &&
      (q.anyOf ?? []).every((group) => group.some((t) => d.terms.includes(t))) &&
      (q.category === undefined || d.category === q.category || d.topCategory === q.category) &&
      (q.shopId === undefined || d.shopId === q.shopId) &&
      (q.priceMinFen === undefined || d.priceFen >= q.priceMinFen) &&
      (q.priceMaxFen === undefined || d.priceFen <= q.priceMaxFen) &&
      (q.shipIn24h === undefined || d.shipIn24h === q.shipIn24h) &&
      (q.strictSelection === undefined || d.strictSelection === q.strictSelection),
  );
  const mainColourHit = (d: IndexDoc): number =>
    colours.includes(d.terms.find((t) => t.startsWith('c:')) ?? '') ? 1 : 0;
  const key = (d: IndexDoc): number[] => {
    switch (q.sort ?? 'relevance') {
      case 'price_asc':
        return [d.priceFen];
      case 'price_desc':
        return [-d.priceFen];
      case 'sales_desc':
        return [-d.sales];
      default:
        return [-mainColourHit(d), -d.sales];
    }
  };
  return hits
    .map((d) => ({ d, k: [...key(d), d.index] }))
    .sort((a, b) => {
      for (let i = 0; i < a.k.length; i++) if (a.k[i] !== b.k[i]) return (a.k[i] as number) - (b.k[i] as number);
      return 0;
    })
    .map((x) => x.d.index);
}

function randomQuery(rng: Rng, docs: IndexDoc[]): Omit<IndexQuery, 'offset' | 'limit'> {
  const sample = rng.pick(docs);
  const q: Omit<IndexQuery, 'offset' | 'limit'> = {
    terms: rng.sample(sample.terms, rng.int(0, 3)),
    sort: rng.pick(SORTS),
  };
  if (rng.chance(0.1)) q.terms.push(`c:${rng.pick(VOCABULARY.colours).key}`);
  if (rng.chance(0.4)) {
    // Groups of terms of this good and of others, now and then one the index has never seen or none at all.
    q.anyOf = Array.from({ length: rng.int(1, 3) }, () => {
      const group = Array.from({ length: rng.int(0, 6) }, () => rng.pick(rng.pick(docs).terms));
      if (rng.chance(0.6)) group.push(rng.pick(sample.terms));
      if (rng.chance(0.05)) group.push('t:no-such-type');
      return group;
    });
  }
  if (rng.chance(0.3)) q.category = rng.chance(0.5) ? sample.category : sample.topCategory;
  if (rng.chance(0.15)) q.shopId = sample.shopId;
  if (rng.chance(0.3)) q.priceMinFen = rng.int(0, 10_000);
  if (rng.chance(0.3)) q.priceMaxFen = rng.int(2000, 40_000);
  if (rng.chance(0.25)) q.shipIn24h = rng.chance(0.5);
  if (rng.chance(0.25)) q.strictSelection = rng.chance(0.5);
  return q;
}

const goods: Record<Platform, SandboxGood[]> = { taobao: [], '1688': [] };
const indexes = {} as Record<Platform, KeywordIndex>;

beforeAll(() => {
  for (const platform of ['taobao', '1688'] as const) {
    goods[platform] = [...generateGoods(VOCABULARY, PARAMS, platform)];
    indexes[platform] = build(goods[platform].map(docOf));
  }
});

describe('the keyword index', () => {
  it('finds a good from its title in every language', () => {
    for (const [platform, count] of [
      ['taobao', 300],
      ['1688', 100],
    ] as const) {
      const index = indexes[platform];
      expect(goods[platform].length).toBeGreaterThanOrEqual(count);
      for (const good of goods[platform].slice(0, count)) {
        for (const title of Object.values(good.title)) {
          const { terms, unknown } = analyze(title);
          expect(unknown, title).toEqual([]);
          const inShop = index.search({ terms, shopId: good.shopId, offset: 0, limit: 100 });
          expect(inShop.indexes, title).toContain(good.index);
          const everywhere = index.search({ terms, offset: 0, limit: 2000 });
          expect(everywhere.indexes, title).toContain(good.index);
          expect(everywhere.total).toBe(everywhere.indexes.length);
        }
      }
    }
  });

  it('finds a good from its product type and one of its colours, written as its texts write them', () => {
    const index = indexes.taobao;
    const types = new Map(VOCABULARY.productTypes.map((t) => [t.key, t.name]));
    const colours = new Map(VOCABULARY.colours.map((c) => [c.key, c.name]));
    for (const good of goods.taobao.slice(0, 300)) {
      const t = types.get(good.productType);
      const c = colours.get(good.colours[good.index % good.colours.length] ?? '');
      if (!t || !c) throw new Error('vocabulary mismatch');
      const queries = [
        `${c.zh}的${t.zh}`,
        `${t.zh}${c.zh.replace(/色$/, '')}`,
        `${c.en} ${t.en}`,
        `${t.vi} màu ${c.vi}`,
        stripAccents(`${t.vi} ${c.vi}`),
        `${t.th}${c.th}`,
        `${t.th}${c.th.replace(/^สี/, '')}`,
        `${t.es} color ${c.es}`,
        stripAccents(`${t.es} ${c.es}`),
      ];
      for (const text of queries) {
        const { terms } = analyze(text);
        expect(terms, text).toHaveLength(2);
        expect(index.search({ terms, shopId: good.shopId, offset: 0, limit: 100 }).indexes, text).toContain(good.index);
      }
    }
  });

  it('matches a brute-force computation for random filters and every sort, and pages consistently', () => {
    for (const platform of ['taobao', '1688'] as const) {
      const docs = goods[platform].map(docOf);
      const index = indexes[platform];
      const rng = new Rng('keyword-index-test', platform);
      let nonEmpty = 0;
      for (let n = 0; n < 300; n++) {
        const q = randomQuery(rng, docs);
        const want = bruteForce(docs, q);
        const all = index.search({ ...q, offset: 0, limit: docs.length });
        expect(all, JSON.stringify(q)).toEqual({ total: want.length, indexes: want });
        if (want.length > 0) nonEmpty++;
        // At most about 50 pages per query, to keep the test quick on broad queries.
        const pageSize = Math.max(rng.int(1, 40), Math.ceil(want.length / 50));
        const pages: number[] = [];
        for (let offset = 0; offset < want.length + pageSize; offset += pageSize) {
          const page = index.search({ ...q, offset, limit: pageSize });
          expect(page.total).toBe(want.length);
          pages.push(...page.indexes);
        }
        expect(pages).toEqual(want);
      }
      expect(nonEmpty).toBeGreaterThan(150);
    }
  });

  it('finds the goods whose titles contain a part of a name, and only goods that have it in their names', () => {
    const index = indexes.taobao;
    const docs = goods.taobao;
    const categories = new Map(VOCABULARY.categories.map((c) => [c.key, c.name]));
    const tops = new Map(VOCABULARY.topCategories.map((c) => [c.key, c.name]));
    const fold = (text: string): string =>
      ` ${text
        .normalize('NFKC')
        .toLowerCase()
        .split(/[^\p{L}\p{N}\p{M}]+/u)
        .join(' ')} `;
    // Latin words are whole words of a title; Chinese and Thai are any part of it.
    const contains = (text: string, part: string, lang: string): boolean =>
      lang === 'zh' || lang === 'th' ? text.includes(part) : fold(text).includes(fold(part));
    const cases: [keyof SandboxGood['title'], string][] = [
      ['es', 'juego'],
      ['es', 'vestido de'],
      ['es', 'camisa de manga'],
      ['es', 'guantes'],
      ['vi', 'bàn'],
      ['vi', 'túi đeo'],
      ['vi', 'bốt đi'],
      ['vi', 'giày'],
      ['vi', 'loa'],
      ['vi', 'quần jean'],
      ['vi', 'sạc'],
      ['vi', 'thú'],
      ['vi', 'áo sơ mi'],
      ['vi', 'bộ đồ'],
      ['zh', '连衣'],
      ['zh', '斜挎'],
      ['th', 'รองเท้าบู'],
      ['th', 'กางเกงยีน'],
      ['th', 'แก้วมั'],
      ['en', 'women'],
    ];
    for (const [lang, word] of cases) {
      const { terms, groups } = analyze(word);
      const found = index.search({ terms, anyOf: groups, offset: 0, limit: docs.length });
      const want = docs.filter((g) => contains(g.title[lang], word, lang)).map((g) => g.index);
      expect(want.length, word).toBeGreaterThan(0);
      expect(found.indexes, word).toEqual(expect.arrayContaining(want));
      for (const i of found.indexes) {
        const g = docs[i] as SandboxGood;
        const top = TOP_OF.get(g.category) ?? '';
        const names = [g.title[lang], categories.get(g.category)?.[lang] ?? '', tops.get(top)?.[lang] ?? ''];
        expect(
          names.some((n) => contains(n, word, lang)),
          `${word}: ${names.join(' | ')}`,
        ).toBe(true);
      }
    }
    for (const word of ['xyzzy', 'iphone', '苹果', 'vestid']) {
      expect(analyze(word), word).toMatchObject({ terms: [], groups: [] });
    }
  });

  it('meets every group of anyOf with any of its terms', () => {
    const index = indexes.taobao;
    const docs = goods.taobao.map(docOf);
    const tops = VOCABULARY.topCategories.map((c) => `top:${c.key}`);
    const types = VOCABULARY.productTypes.map((t) => `t:${t.key}`);
    const queries: Omit<IndexQuery, 'offset' | 'limit'>[] = [
      // Every top-level category: a union as large as the catalog.
      { terms: [], anyOf: [tops] },
      { terms: ['c:black'], anyOf: [tops, types.slice(0, 40)], sort: 'price_asc' },
      { terms: [], anyOf: [types.slice(0, 2), ['c:red', 'c:white']] },
      { terms: [], anyOf: [[types[3] as string]], category: 'shoes' },
      { terms: ['c:red'], anyOf: [['c:red', 'c:pink']] },
      { terms: [], anyOf: [['t:no-such-type']] },
      { terms: [], anyOf: [[]] },
      { terms: [], anyOf: [] },
    ];
    for (const q of queries) {
      const want = bruteForce(docs, q);
      expect(index.search({ ...q, offset: 0, limit: docs.length }), JSON.stringify(q)).toEqual({
        total: want.length,
        indexes: want,
      });
    }
    expect(index.search({ terms: [], anyOf: [tops], offset: 0, limit: 0 }).total).toBe(docs.length);
  });

  it('filters on each field', () => {
    const index = indexes['1688'];
    const docs = goods['1688'].map(docOf);
    const base = { terms: [], offset: 0, limit: docs.length };
    const check = (q: IndexQuery, ok: (d: IndexDoc) => boolean): void => {
      const got = index.search(q).indexes;
      expect(got.length).toBeGreaterThan(0);
      expect(got.length).toBeLessThan(docs.length);
      expect(got.length).toBe(docs.filter(ok).length);
      for (const i of got) expect(ok(docs[i] as IndexDoc)).toBe(true);
    };
    check({ ...base, priceMinFen: 3000, priceMaxFen: 6000 }, (d) => d.priceFen >= 3000 && d.priceFen <= 6000);
    check({ ...base, category: 'sneakers' }, (d) => d.category === 'sneakers');
    check({ ...base, category: 'shoes' }, (d) => d.topCategory === 'shoes');
    const shop = docs[17]?.shopId ?? '';
    check({ ...base, shopId: shop }, (d) => d.shopId === shop);
    check({ ...base, shipIn24h: true }, (d) => d.shipIn24h);
    check({ ...base, shipIn24h: false }, (d) => !d.shipIn24h);
    check({ ...base, strictSelection: true }, (d) => d.strictSelection);
    check({ ...base, terms: ['c:black'], category: 'womens-clothing', strictSelection: false }, (d) =>
      Boolean(d.terms.includes('c:black') && d.topCategory === 'womens-clothing' && !d.strictSelection),
    );
    expect(index.search({ ...base, terms: ['t:no-such-type'] })).toEqual({ total: 0, indexes: [] });
    expect(index.search({ ...base, category: 'no-such-category' })).toEqual({ total: 0, indexes: [] });
    expect(index.search({ ...base, shopId: 'no-such-shop' })).toEqual({ total: 0, indexes: [] });
    expect(index.search({ ...base, limit: 0 })).toEqual({ total: docs.length, indexes: [] });
    expect(index.search({ ...base, offset: docs.length })).toEqual({ total: docs.length, indexes: [] });
    expect(() => index.search({ ...base, offset: -1 })).toThrow(RangeError);
  });

  it('puts goods whose main colour was asked for first when sorting by relevance', () => {
    const index = indexes.taobao;
    const found = index.search({ terms: ['c:red'], offset: 0, limit: 2000 }).indexes;
    const main = found.map((i) => goods.taobao[i]?.colours[0] === 'red');
    const firstOther = main.indexOf(false);
    expect(firstOther).toBeGreaterThan(0);
    expect(main.slice(firstOther).every((m) => !m)).toBe(true);
  });

  it('follows updates: delisting removes a good, a new price moves it', () => {
    const docs = goods.taobao.map(docOf);
    const index = build(docs);
    const target = docs[42] as IndexDoc;
    const q = { terms: [target.terms[0] as string], offset: 0, limit: 2000 };
    expect(index.search(q).indexes).toContain(42);

    index.update(42, { active: false });
    target.active = false;
    expect(index.search(q).indexes).not.toContain(42);
    expect(index.search({ ...q, terms: [], shopId: target.shopId }).indexes).not.toContain(42);
    expect(index.related(41, 2000).indexes).not.toContain(42);
    expect(index.recommend({ limit: 2000 }).indexes).not.toContain(42);

    index.update(42, { active: true, priceFen: 1 });
    target.active = true;
    target.priceFen = 1;
    expect(index.search({ ...q, terms: [], sort: 'price_asc', limit: 1 }).indexes).toEqual([42]);
    index.update(42, { priceFen: 99_999_999, sales: 0, shipIn24h: !target.shipIn24h });
    target.priceFen = 99_999_999;
    target.sales = 0;
    target.shipIn24h = !target.shipIn24h;
    expect(index.search({ ...q, terms: [], sort: 'price_desc', limit: 1 }).indexes).toEqual([42]);

    const rng = new Rng('keyword-index-updates');
    for (let n = 0; n < 200; n++) {
      const i = rng.int(0, docs.length - 1);
      const d = docs[i] as IndexDoc;
      d.priceFen = rng.int(100, 50_000);
      d.sales = rng.int(0, 20_000);
      d.active = rng.chance(0.8);
      index.update(i, { priceFen: d.priceFen, sales: d.sales, active: d.active });
    }
    for (let n = 0; n < 100; n++) {
      const query = randomQuery(rng, docs);
      expect(index.search({ ...query, offset: 0, limit: docs.length }).indexes).toEqual(bruteForce(docs, query));
    }
    expect(() => index.update(5000, { sales: 1 })).toThrow(RangeError);
  });

  it('gives the same results when goods are added out of order, and refuses a good twice', () => {
    const docs = goods.taobao.slice(0, 500).map(docOf);
    const shuffled = new Rng('shuffle').sample(docs, docs.length);
    const index = build(shuffled);
    const rng = new Rng('keyword-index-order');
    for (let n = 0; n < 50; n++) {
      const q = randomQuery(rng, docs);
      expect(index.search({ ...q, offset: 0, limit: 500 }).indexes).toEqual(bruteForce(docs, q));
    }
    expect(index.size).toBe(500);
    expect(index.termsOf(3)).toEqual(docs[3]?.terms);
    expect(() => index.add(docs[3] as IndexDoc)).toThrow(/already/);
  });

  it('relates goods of the same category first, by shared terms then sales, never the good itself', () => {
    const index = indexes.taobao;
    const docs = goods.taobao.map(docOf);
    for (const seed of [0, 7, 123, 1999]) {
      const me = docs[seed] as IndexDoc;
      const shared = (d: IndexDoc): number => d.terms.filter((t) => me.terms.includes(t)).length;
      const want = docs
        .filter((d) => d.index !== seed && d.topCategory === me.topCategory)
        .map((d) => ({ i: d.index, k: [d.category === me.category ? 0 : 1, -shared(d), -d.sales, d.index] }))
        .sort((a, b) => a.k.reduce((acc, x, j) => acc || x - (b.k[j] as number), 0))
        .map((x) => x.i);
      const got = index.related(seed, 2000);
      expect(got).toEqual({ total: want.length, indexes: want });
      const firstPage = index.related(seed, 10);
      expect(firstPage.indexes).toEqual(want.slice(0, 10));
      expect(firstPage.indexes).toHaveLength(10);
      expect(firstPage.indexes).not.toContain(seed);
      for (const i of firstPage.indexes) expect(docs[i]?.category).toBe(me.category);
      expect(index.related(seed, 10, 10).indexes).toEqual(want.slice(10, 20));
    }
    expect(index.related(99_999, 10)).toEqual({ total: 0, indexes: [] });
  });

  it('recommends popular goods, leaning towards the seeds, never the seeds', () => {
    const index = indexes.taobao;
    const docs = goods.taobao.map(docOf);
    const weight = (t: string): number =>
      t.startsWith('t:') ? 4 : t.startsWith('cat:') ? 3 : t.startsWith('top:') ? 0 : t.startsWith('c:') ? 1 : 2;
    const expected = (seeds: number[], category?: string): number[] => {
      const leaves = new Set(seeds.map((s) => docs[s]?.category));
      const profile = new Map<string, number>();
      for (const s of seeds) for (const t of docs[s]?.terms ?? []) profile.set(t, (profile.get(t) ?? 0) + weight(t));
      return docs
        .filter((d) => d.active && !seeds.includes(d.index))
        .filter((d) => category === undefined || d.category === category || d.topCategory === category)
        .map((d) => {
          const near = leaves.has(d.category);
          const score = near ? d.terms.reduce((n, t) => n + (profile.get(t) ?? 0), 0) : 0;
          return { i: d.index, k: [near ? 0 : 1, -score, -d.sales, d.index] };
        })
        .sort((a, b) => a.k.reduce((acc, x, j) => acc || x - (b.k[j] as number), 0))
        .map((x) => x.i);
    };
    const cases: [number[], string | undefined][] = [
      [[], undefined],
      [[], 'shoes'],
      [[], 'sneakers'],
      [[3, 250], undefined],
      [[3], docs[3]?.category],
      [[3, 250, 1999], docs[250]?.topCategory],
      [[3, 250], 'nowhere-near'],
    ];
    for (const [seeds, category] of cases) {
      const want = category === 'nowhere-near' ? [] : expected(seeds, category);
      const got = index.recommend({ seedIndexes: seeds, category, limit: docs.length });
      expect(got, `${seeds} ${category}`).toEqual({ total: want.length, indexes: want });
      for (const [offset, limit] of [
        [0, 20],
        [20, 20],
        [0, 0],
        [want.length - 3, 10],
      ] as const) {
        const page = index.recommend({ seedIndexes: seeds, category, limit, offset: Math.max(offset, 0) });
        expect(page.total).toBe(want.length);
        expect(page.indexes).toEqual(want.slice(Math.max(offset, 0), Math.max(offset, 0) + limit));
      }
    }
    const seeds = [3, 250];
    const leaves = new Set(seeds.map((s) => docs[s]?.category));
    const rec = index.recommend({ seedIndexes: [...seeds, 99_999], limit: 30 });
    expect(rec.indexes).toHaveLength(30);
    for (const i of rec.indexes) {
      expect(seeds).not.toContain(i);
      expect(leaves.has(docs[i]?.category)).toBe(true);
    }
  });

  it('stays small', () => {
    const index = indexes.taobao;
    index.compact();
    expect(index.byteSize()).toBeLessThan(2000 * 200);
    expect(index.search({ terms: ['c:black'], offset: 0, limit: 5 }).indexes).toHaveLength(5);
  });
});
