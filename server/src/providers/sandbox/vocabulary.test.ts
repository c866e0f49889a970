import { describe, expect, it } from 'vitest';
import { VOCABULARY } from './vocabulary.js';
import type { Words } from './vocabulary.types.js';

const LANGUAGES = ['zh', 'en', 'vi', 'th', 'es'] as const;
const PLACEHOLDERS = ['{material}', '{colour}', '{style}', '{type}'] as const;
const KEY = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const THAI = /[\u0E00-\u0E7F]/;
const CJK = /[\u4E00-\u9FFF]/;
const ASCII_ONLY = /^[\x20-\x7E]+$/;

const v = VOCABULARY;

function keysOf(list: { key: string }[]): string[] {
  return list.map((item) => item.key);
}

function expectUniqueKeys(label: string, list: { key: string }[]): void {
  const keys = keysOf(list);
  for (const key of keys) expect(key, `${label} key ${key}`).toMatch(KEY);
  const duplicates = keys.filter((key, i) => keys.indexOf(key) !== i);
  expect(duplicates, `${label} duplicate keys`).toEqual([]);
}

/** Every `Words` value of the vocabulary, labelled, with whether it is a size label (allowed to be plain ASCII). */
function allWords(): { label: string; words: Words; sizeLabel: boolean }[] {
  const out: { label: string; words: Words; sizeLabel: boolean }[] = [];
  const add = (label: string, words: Words, sizeLabel = false): void => {
    out.push({ label, words, sizeLabel });
  };
  for (const c of v.topCategories) add(`top category ${c.key}`, c.name);
  for (const c of v.categories) add(`category ${c.key}`, c.name);
  for (const t of v.productTypes) add(`product type ${t.key}`, t.name);
  for (const m of v.materials) add(`material ${m.key}`, m.name);
  for (const s of v.styles) add(`style ${s.key}`, s.name);
  for (const c of v.colours) add(`colour ${c.key}`, c.name);
  for (const set of v.sizeSets) {
    add(`size set ${set.key} property`, set.property.name);
    for (const value of set.values) add(`size ${set.key}/${value.key}`, value.name, true);
  }
  add('colour property', v.colourProperty.name);
  for (const [i, words] of v.shopWords.first.entries()) add(`shop word first[${i}]`, words);
  for (const [i, words] of v.shopWords.second.entries()) add(`shop word second[${i}]`, words);
  v.cities.forEach((c, i) => {
    add(`city[${i}] province`, c.province);
    add(`city[${i}] city`, c.city);
  });
  for (const [i, words] of v.descriptionTemplates.entries()) add(`template[${i}]`, words);
  return out;
}

function placeholdersIn(text: string): string[] {
  return PLACEHOLDERS.filter((p) => text.includes(p));
}

describe('sandbox vocabulary', () => {
  it('has list sizes within the expected ranges', () => {
    expect(v.topCategories).toHaveLength(8);
    expect(v.categories.length).toBeGreaterThanOrEqual(28);
    expect(v.categories.length).toBeLessThanOrEqual(36);
    expect(v.productTypes.length).toBeGreaterThanOrEqual(60);
    expect(v.productTypes.length).toBeLessThanOrEqual(80);
    expect(v.materials.length).toBeGreaterThanOrEqual(20);
    expect(v.materials.length).toBeLessThanOrEqual(26);
    expect(v.styles.length).toBeGreaterThanOrEqual(14);
    expect(v.styles.length).toBeLessThanOrEqual(20);
    expect(v.colours.length).toBeGreaterThanOrEqual(16);
    expect(v.colours.length).toBeLessThanOrEqual(20);
    expect(v.shopWords.first.length).toBeGreaterThanOrEqual(20);
    expect(v.shopWords.first.length).toBeLessThanOrEqual(30);
    expect(v.shopWords.second.length).toBeGreaterThanOrEqual(15);
    expect(v.shopWords.second.length).toBeLessThanOrEqual(20);
    expect(v.cities.length).toBeGreaterThanOrEqual(20);
    expect(v.cities.length).toBeLessThanOrEqual(25);
    expect(v.descriptionTemplates.length).toBeGreaterThanOrEqual(6);
    expect(v.descriptionTemplates.length).toBeLessThanOrEqual(8);
  });

  it('uses unique kebab-case keys in every list', () => {
    expectUniqueKeys('top category', v.topCategories);
    expectUniqueKeys('category', v.categories);
    expectUniqueKeys('product type', v.productTypes);
    expectUniqueKeys('material', v.materials);
    expectUniqueKeys('style', v.styles);
    expectUniqueKeys('colour', v.colours);
    expectUniqueKeys('size set', v.sizeSets);
    expectUniqueKeys('size property', [...v.sizeSets.map((s) => s.property), v.colourProperty]);
    for (const set of v.sizeSets) expectUniqueKeys(`size set ${set.key} value`, set.values);
    const topAndLeaf = [...keysOf(v.topCategories), ...keysOf(v.categories)];
    expect(new Set(topAndLeaf).size, 'top-level and leaf category keys overlap').toBe(topAndLeaf.length);
  });

  it('has the colour property and the required size sets', () => {
    expect(v.colourProperty.key).toBe('colour');
    expect(v.colourProperty.name).toEqual({ zh: '颜色分类', en: 'Colour', vi: 'Màu sắc', th: 'สี', es: 'Color' });
    const sets = new Map(v.sizeSets.map((s) => [s.key, s]));
    expect(sets.get('clothing')?.property.name.zh).toBe('尺码');
    expect(keysOf(sets.get('clothing')?.values ?? [])).toEqual(['s', 'm', 'l', 'xl', '2xl']);
    expect(sets.get('shoes')?.property.name.zh).toBe('鞋码');
    expect(sets.get('shoes')?.values.map((x) => x.name.en)).toContain('EU 36');
    expect(sets.get('shoes')?.values.map((x) => x.name.en)).toContain('EU 44');
    expect(sets.get('kids')?.property.name.zh).toBe('年龄');
    expect(sets.get('capacity')?.property.name.zh).toBe('容量');
    expect(keysOf(sets.get('bag-size')?.values ?? [])).toEqual(['small', 'medium', 'large']);
    for (const set of v.sizeSets) {
      expect(set.values.length, `size set ${set.key}`).toBeGreaterThanOrEqual(2);
      expect(
        set.values.some((x) => x.factor === 1),
        `size set ${set.key} has a factor-1 value`,
      ).toBe(true);
      for (const value of set.values) expect(value.factor, `${set.key}/${value.key}`).toBeGreaterThan(0);
    }
  });

  it('resolves every reference', () => {
    const tops = new Set(keysOf(v.topCategories));
    const leaves = new Set(keysOf(v.categories));
    const materials = new Set(keysOf(v.materials));
    const styles = new Set(keysOf(v.styles));
    const sizeSets = new Set(keysOf(v.sizeSets));
    for (const c of v.categories) expect(tops.has(c.parent), `category ${c.key} parent ${c.parent}`).toBe(true);
    for (const t of v.productTypes) {
      expect(leaves.has(t.category), `product type ${t.key} category ${t.category}`).toBe(true);
      expect(t.materials.length, `product type ${t.key} materials`).toBeGreaterThan(0);
      expect(t.styles.length, `product type ${t.key} styles`).toBeGreaterThan(0);
      for (const m of t.materials) expect(materials.has(m), `product type ${t.key} material ${m}`).toBe(true);
      for (const s of t.styles) expect(styles.has(s), `product type ${t.key} style ${s}`).toBe(true);
      if (t.sizes !== null) expect(sizeSets.has(t.sizes), `product type ${t.key} sizes ${t.sizes}`).toBe(true);
      expect(new Set(t.materials).size, `product type ${t.key} repeats a material`).toBe(t.materials.length);
      expect(new Set(t.styles).size, `product type ${t.key} repeats a style`).toBe(t.styles.length);
    }
  });

  it('gives every top-level category at least three leaves and every leaf a product type', () => {
    for (const top of v.topCategories) {
      const count = v.categories.filter((c) => c.parent === top.key).length;
      expect(count, `leaves of ${top.key}`).toBeGreaterThanOrEqual(3);
    }
    const used = new Set(v.productTypes.map((t) => t.category));
    const empty = v.categories.filter((c) => !used.has(c.key)).map((c) => c.key);
    expect(empty, 'leaf categories without a product type').toEqual([]);
  });

  it('has positive, ordered price, weight and package sizes', () => {
    for (const t of v.productTypes) {
      const [minPrice, maxPrice] = t.priceFen;
      const [minWeight, maxWeight] = t.weightG;
      expect(Number.isInteger(minPrice) && Number.isInteger(maxPrice), `${t.key} price in whole fen`).toBe(true);
      expect(minPrice, `${t.key} price`).toBeGreaterThan(0);
      expect(minPrice, `${t.key} price`).toBeLessThanOrEqual(maxPrice);
      expect(minWeight, `${t.key} weight`).toBeGreaterThan(0);
      expect(minWeight, `${t.key} weight`).toBeLessThanOrEqual(maxWeight);
      for (const cm of t.sizeCm) expect(cm, `${t.key} package size`).toBeGreaterThan(0);
    }
  });

  it('has valid colour values', () => {
    for (const c of v.colours) {
      expect(c.rgb, `colour ${c.key}`).toHaveLength(3);
      for (const channel of c.rgb) {
        expect(Number.isInteger(channel) && channel >= 0 && channel <= 255, `colour ${c.key} rgb`).toBe(true);
      }
    }
  });

  it('has five non-empty strings in the right script for every Words object', () => {
    for (const { label, words, sizeLabel } of allWords()) {
      expect(Object.keys(words).sort(), label).toEqual([...LANGUAGES].sort());
      for (const lang of LANGUAGES) {
        expect(typeof words[lang], `${label} ${lang}`).toBe('string');
        expect(words[lang].trim().length, `${label} ${lang} is empty`).toBeGreaterThan(0);
        expect(words[lang], `${label} ${lang} has surrounding spaces`).toBe(words[lang].trim());
      }
      const asciiSize = (text: string) => sizeLabel && ASCII_ONLY.test(text);
      if (!asciiSize(words.zh)) expect(words.zh, `${label} zh`).toMatch(CJK);
      if (!asciiSize(words.th)) expect(words.th, `${label} th`).toMatch(THAI);
      for (const lang of ['en', 'vi', 'es'] as const) {
        expect(words[lang], `${label} ${lang} has CJK`).not.toMatch(CJK);
        expect(words[lang], `${label} ${lang} has Thai`).not.toMatch(THAI);
      }
    }
  });

  it('uses the same placeholders, at least two, in every language of a template', () => {
    v.descriptionTemplates.forEach((template, i) => {
      const expected = placeholdersIn(template.en);
      expect(expected.length, `template[${i}] placeholders`).toBeGreaterThanOrEqual(2);
      for (const lang of LANGUAGES) {
        const text = template[lang];
        expect(placeholdersIn(text), `template[${i}] ${lang}`).toEqual(expected);
        for (const p of PLACEHOLDERS) {
          expect(text.split(p).length - 1, `template[${i}] ${lang} repeats ${p}`).toBeLessThanOrEqual(1);
        }
        const unknown = (text.match(/\{[^}]*\}/g) ?? []).filter(
          (p) => !(PLACEHOLDERS as readonly string[]).includes(p),
        );
        expect(unknown, `template[${i}] ${lang} unknown placeholders`).toEqual([]);
      }
    });
  });
});
