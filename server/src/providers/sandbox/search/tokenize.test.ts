import { describe, expect, it } from 'vitest';
import { generateGood, generateGoods } from '../catalog/generate.js';
import { VOCABULARY } from '../vocabulary.js';
import type { Words } from '../vocabulary.types.js';
import { analyze, documentTerms } from './tokenize.js';

const LANGS = ['zh', 'en', 'vi', 'th', 'es'] as const;
const v = VOCABULARY;

function sorted(terms: string[]): string[] {
  return [...terms].sort();
}

/** The terms of `text`, which must have no unknown word. */
function termsOf(text: string): string[] {
  const a = analyze(text);
  expect(a.unknown, `unknown words in ${JSON.stringify(text)}`).toEqual([]);
  return sorted(a.terms);
}

function byKey<T extends { key: string }>(list: T[], key: string): T {
  const found = list.find((x) => x.key === key);
  if (!found) throw new Error(`no ${key}`);
  return found;
}

describe('the sandbox analyzer', () => {
  it('segments Chinese and Thai runs with no spaces', () => {
    expect(termsOf('韩版纯棉连衣裙黑色')).toEqual(
      sorted(['s:korean-style', 'm:cotton', 'cat:womens-dresses', 'c:black']),
    );
    expect(termsOf('复古牛仔布女士牛仔裤')).toEqual(sorted(['s:vintage', 'm:denim', 't:womens-jeans']));
    expect(termsOf('黑色的碎花连衣裙')).toEqual(sorted(['c:black', 't:floral-dress']));
    expect(termsOf('เสื้อยืดผู้หญิงผ้าฝ้ายสีดำ')).toEqual(sorted(['t:womens-tshirt', 'm:cotton', 'c:black']));
    expect(termsOf('กระเป๋าเป้นักเรียนผ้าไนลอนน่ารัก')).toEqual(sorted(['t:school-backpack', 'm:nylon', 's:cute']));
    expect(termsOf('ผ้าห่มสีเทา')).toEqual(sorted(['t:throw-blanket', 'c:grey']));
  });

  it('mixes scripts inside a run and folds full-width forms', () => {
    expect(termsOf('韩版PU皮斜挎包')).toEqual(sorted(['s:korean-style', 'm:pu-leather', 't:crossbody-bag']));
    expect(termsOf('ＰＵ皮')).toEqual(['m:pu-leather']);
    expect(termsOf('男士ＰＯＬＯ衫')).toEqual(['t:polo-shirt']);
    expect(termsOf('หนัง PU')).toEqual(['m:pu-leather']);
  });

  it('takes colours with or without the colour word', () => {
    for (const q of [
      '黑色',
      '黑',
      'สีดำ',
      'ดำ',
      'สี ดำ',
      'màu đen',
      'đen',
      'mau den',
      'den',
      'negro',
      'color negro',
      'black',
    ]) {
      expect(termsOf(q), q).toEqual(['c:black']);
    }
    expect(termsOf('薄荷绿色')).toEqual(['c:mint-green']);
    expect(termsOf('gray')).toEqual(['c:grey']);
  });

  it('accepts Vietnamese and Spanish typed without diacritics', () => {
    expect(termsOf('ao thun nu')).toEqual(['t:womens-tshirt']);
    expect(termsOf('ao thun nữ')).toEqual(['t:womens-tshirt']);
    expect(termsOf('quan jean nam vai denim co dien')).toEqual(sorted(['t:mens-jeans', 'm:denim', 's:vintage']));
    expect(termsOf('de thuong')).toEqual(['s:cute']);
    expect(termsOf('DEN XE DAP')).toEqual(['t:bike-light']);
    expect(termsOf('algodon')).toEqual(['m:cotton']);
    expect(termsOf('camiseta de mujer algodon negro')).toEqual(sorted(['t:womens-tshirt', 'm:cotton', 'c:black']));
    expect(termsOf('vestido flores')).toEqual(['t:floral-dress']);
    expect(termsOf('raton inalambrico')).toEqual(['t:wireless-mouse']);
  });

  it('does not read accents that are typed as other words', () => {
    // "đèn" (lamp) is not "đen" (black), "bé" (baby) is not "be" (beige): they are only parts of names.
    const lamp = analyze('đèn');
    expect(lamp.terms).toEqual([]);
    expect(lamp.groups.flat()).toContain('t:bike-light');
    expect(lamp.groups.flat()).not.toContain('c:black');
    expect(analyze('bé')).toEqual({ terms: [], groups: [['top:toys-baby']], unknown: [] });
    // Nor is "thủ" a part of "thú nhồi bông".
    expect(analyze('thủ').groups.flat()).not.toContain('t:stuffed-animal');
  });

  it('keeps unknown words: folded Latin words and Chinese or Thai runs in no name', () => {
    expect(analyze('iPhone 苹果手机壳')).toEqual({ terms: ['t:phone-case'], groups: [], unknown: ['iphone', '苹果'] });
    expect(analyze('Café crème')).toEqual({ terms: [], groups: [], unknown: ['cafe', 'creme'] });
    expect(analyze('')).toEqual({ terms: [], groups: [], unknown: [] });
    for (const filler of ['de', 'y', 'màu', 'mau', 'color', 'the', 'สี', '的', '颜色']) {
      expect(analyze(filler), filler).toEqual({ terms: [], groups: [], unknown: [] });
    }
    expect(analyze('  ,. ')).toEqual({ terms: [], groups: [], unknown: [] });
    // One Chinese character is part of too many names to stand for them.
    expect(analyze('衫')).toEqual({ terms: [], groups: [], unknown: ['衫'] });
    // Latin words are matched whole, not as prefixes.
    expect(analyze('vestid camis')).toEqual({ terms: [], groups: [], unknown: ['vestid', 'camis'] });
  });

  it('expands a word that is part of names to the terms of those names', () => {
    expect(analyze('juego')).toEqual({ terms: [], groups: [['t:utensil-set']], unknown: [] });
    expect(analyze('bốt đi')).toEqual({ terms: [], groups: [['t:snow-boots']], unknown: [] });
    expect(analyze('bộ đồ')).toEqual({ terms: [], groups: [['t:kids-pyjamas']], unknown: [] });
    expect(sorted(analyze('bàn').groups.flat())).toContain('t:mechanical-keyboard');
    // "Giày dép" is the top-level category of shoes.
    expect(analyze('giày')).toEqual({ terms: [], groups: [['top:shoes']], unknown: [] });
    expect(sorted(analyze('áo sơ mi').groups.flat())).toEqual(['cat:mens-shirts', 't:womens-blouse']);
    // English possessives are parts of names without their "s".
    expect(analyze('women').groups.flat()).toEqual(expect.arrayContaining(['t:ankle-boots', 'top:womens-clothing']));
    // Accents may be left out, as for whole names.
    expect(analyze('tui deo')).toEqual(analyze('túi đeo'));
    expect(analyze('giay')).toEqual(analyze('giày'));
  });

  it('reads unknown words in a row as a phrase of a name, stop words aside', () => {
    const sleeves = [['t:mens-long-sleeve-shirt', 't:mens-short-sleeve-shirt']];
    expect(analyze('camisa de manga')).toEqual({ terms: [], groups: sleeves, unknown: [] });
    expect(analyze('camisa manga')).toEqual({ terms: [], groups: sleeves, unknown: [] });
    // A bag worn ("đeo") is a crossbody or a shoulder bag, not any bag.
    expect(analyze('túi đeo')).toEqual({ terms: [], groups: [['t:crossbody-bag', 't:shoulder-bag']], unknown: [] });
    expect(sorted(analyze('quần jean').groups.flat())).toEqual(['t:mens-jeans', 't:womens-jeans']);
    // Where no name holds the whole phrase, its longest parts are taken.
    expect(analyze('bàn phím gaming')).toEqual({ terms: [], groups: [['t:mechanical-keyboard']], unknown: ['gaming'] });
    const words = analyze('camisa larga').groups;
    expect(words).toHaveLength(2);
    expect(words.every((g) => g.includes('t:mens-long-sleeve-shirt'))).toBe(true);
  });

  it('expands Chinese and Thai runs of two characters or more that are part of names', () => {
    expect(analyze('连衣')).toEqual({ terms: [], groups: [['cat:womens-dresses']], unknown: [] });
    const trousers = analyze('กางเกงขาว');
    expect(trousers.terms).toEqual(['c:white']);
    expect(trousers.groups).toHaveLength(1);
    expect(trousers.groups[0]).toEqual(expect.arrayContaining(['cat:womens-bottoms', 'cat:mens-trousers']));
    // A Thai prefix of "boots" after the whole word for shoes.
    expect(analyze('รองเท้าบู')).toEqual({ terms: [], groups: [['cat:boots']], unknown: [] });
  });

  it('leaves out what broader terms or other conditions already imply', () => {
    // The types of a category in the same group add nothing to it.
    const shirtTerms = analyze('áo').groups.flat();
    expect(shirtTerms.length).toBeGreaterThan(0);
    for (const term of shirtTerms) expect(term).toMatch(/^cat:/);
    // A floral dress is a dress.
    expect(analyze('vestido de flores 连衣')).toEqual({ terms: ['t:floral-dress'], groups: [], unknown: [] });
    // The same words twice make one group.
    expect(analyze('túi đeo xxx túi đeo').groups).toEqual([['t:crossbody-bag', 't:shoulder-bag']]);
  });

  it('finds the whole name a query mixing whole words and parts is part of', () => {
    // "แก้ว" alone is glass and "สปอร์ต" sporty, but "แก้วมั" is the beginning of "mug" whatever it is made of.
    expect(analyze('แก้วมั')).toEqual({ terms: [], groups: [['t:mug']], unknown: [] });
    expect(analyze('สปอร์ตบร')).toEqual({ terms: [], groups: [['t:sports-bra']], unknown: [] });
    expect(analyze('bra thể thao')).toEqual({ terms: [], groups: [['t:sports-bra']], unknown: [] });
    // Both readings are kept: casual menswear, and men's casual trousers (男士休闲长裤) of any style.
    const casual = analyze('男士休闲').groups;
    expect(casual).toHaveLength(2);
    expect(casual[1]).toEqual(['s:casual', 't:chinos']);
  });

  it('ignores function words that are part of almost every name, but not the phrases they are in', () => {
    for (const word of ['cho', 'của', 'cua']) {
      expect(analyze(word), word).toEqual({ terms: [], groups: [], unknown: [word === 'của' ? 'cua' : word] });
    }
    expect(analyze('cho bé')).toEqual({ terms: [], groups: [['cat:baby-care']], unknown: [] });
    expect(analyze('vestido de').groups).toEqual([['t:floral-dress', 't:knit-dress']]);
  });

  it('reads English possessives and hyphens as typed either way', () => {
    for (const q of ["men's T-shirt", 'mens t shirt', 'Men’s tshirt', 'MENS T-SHIRT']) {
      expect(termsOf(q), q).toEqual(['t:mens-tshirt']);
    }
    expect(termsOf('slimfit')).toEqual(['s:slim-fit']);
  });

  it('recognises every vocabulary word, in every language, as its own term', () => {
    const lists: [string, { key: string; name: Words }[]][] = [
      ['t:', v.productTypes],
      ['m:', v.materials],
      ['s:', v.styles],
      ['c:', v.colours],
      ['cat:', v.categories],
      ['top:', v.topCategories],
    ];
    for (const [prefix, list] of lists) {
      for (const item of list) for (const lang of LANGS) expect(termsOf(item.name[lang])).toEqual([prefix + item.key]);
    }
  });

  it('reads every possible title, in every language, as exactly its type, material and style', () => {
    for (const type of v.productTypes) {
      for (const materialKey of type.materials) {
        for (const styleKey of type.styles) {
          const material = byKey(v.materials, materialKey).name;
          const style = byKey(v.styles, styleKey).name;
          const want = sorted([`t:${type.key}`, `m:${materialKey}`, `s:${styleKey}`]);
          const titles = [
            `${style.zh}${material.zh}${type.name.zh}`,
            `${style.en} ${material.en} ${type.name.en}`,
            `${type.name.vi} ${material.vi} ${style.vi}`,
            `${type.name.th} ${material.th} ${style.th}`,
            `${type.name.es} de ${material.es} ${style.es}`,
          ];
          for (const title of titles) expect(termsOf(title), title).toEqual(want);
        }
      }
    }
  });

  it('reads every product type with every colour, as descriptions write them', () => {
    for (const type of v.productTypes) {
      for (const colour of v.colours) {
        const t = type.name;
        const c = colour.name;
        const want = sorted([`t:${type.key}`, `c:${colour.key}`]);
        const queries = [
          `${t.zh}${c.zh}`,
          `${c.zh}的${t.zh}`,
          `${t.zh}${c.zh.replace(/色$/, '')}`,
          `${t.th}${c.th}`,
          `${t.th}${c.th.replace(/^สี/, '')}`,
          `${t.vi} màu ${c.vi}`,
          `${t.vi} ${c.vi}`,
          `${t.es} color ${c.es}`,
          `${t.es} ${c.es}`,
          `${c.en} ${t.en}`,
        ];
        for (const q of queries) expect(termsOf(q), q).toEqual(want);
      }
    }
  });

  it('finds in descriptions no term the good is not indexed under', () => {
    for (const platform of ['taobao', '1688'] as const) {
      for (const good of generateGoods(v, { seed: 3, goodsPerPlatform: 300 }, platform)) {
        const indexed = new Set(documentTerms(good));
        for (const lang of LANGS) {
          const found = analyze(good.description[lang]).terms;
          expect(
            found.filter((t) => !indexed.has(t)),
            good.description[lang],
          ).toEqual([]);
          expect(found.length).toBeGreaterThanOrEqual(2);
        }
      }
    }
  });

  it('indexes a good under its type, material, style, colours and categories', () => {
    const good = generateGood(v, { seed: 3, goodsPerPlatform: 10 }, 'taobao', 4);
    const top = byKey(v.categories, good.category).parent;
    expect(documentTerms(good)).toEqual([
      `t:${good.productType}`,
      `m:${good.material}`,
      `s:${good.style}`,
      ...good.colours.map((c) => `c:${c}`),
      `cat:${good.category}`,
      `top:${top}`,
    ]);
  });
});
