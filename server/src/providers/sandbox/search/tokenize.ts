import type { SandboxGood } from '../catalog/model.js';
import { VOCABULARY } from '../vocabulary.js';
import type { Vocabulary, Words } from '../vocabulary.types.js';

/**
 * The sandbox's text analyzer. Goods are indexed under language-independent term ids (`t:<type>`,
 * `m:<material>`, `s:<style>`, `c:<colour>`, `cat:<leaf>`, `top:<top category>`) taken from their
 * structured keys, and queries in any of the five languages are turned into the same ids, so a query
 * in Thai finds goods whatever language their title is shown in.
 *
 * Text is cut into units: a Latin (or other space-separated script) word, or a single Chinese or Thai
 * character, since those scripts do not separate words. Dictionary entries are unit sequences, matched
 * longest first (forward maximum matching) over the whole stream, which segments CJK and Thai runs and
 * recognises multi-word phrases ("stainless steel", "áo thun nữ") in the same pass.
 *
 * A buyer often types only part of a name ("giày", "túi đeo", "连衣"), which a marketplace answers with
 * the goods whose titles contain it. Such words are expanded to every term whose name contains them,
 * any one of which will do.
 */

export interface Analysis {
  /** Term ids found, in order of first appearance, without repeats. */
  terms: string[];
  /**
   * One group per word (or run of words) that is part of some names without being a name itself: the
   * terms whose names contain it, any of which a good may have. Never empty; a term is left out when a
   * broader one (its category) is in the group, and a group when a term or another group implies it.
   */
  groups: string[][];
  /** Words neither in the dictionary nor in any name: a folded Latin word, or an unmatched Chinese/Thai run. */
  unknown: string[];
}

/** The structured keys of a good that its terms come from. */
export type IndexedFields = Pick<SandboxGood, 'productType' | 'material' | 'style' | 'colours' | 'category'>;

export interface Analyzer {
  analyze(text: string): Analysis;
  /** The terms a good is indexed under; its colours keep their order, the first being its main colour. */
  documentTerms(good: IndexedFields): string[];
}

export const TERM_PREFIX = {
  type: 't:',
  material: 'm:',
  style: 's:',
  colour: 'c:',
  category: 'cat:',
  topCategory: 'top:',
} as const;

const LANGS = ['zh', 'en', 'vi', 'th', 'es'] as const;

/**
 * Connectives and the words that introduce a colour ("màu đen", "color negro"): they give no term, and
 * phrases are also recognised without them ("vestido flores" for "vestido de flores"). They are matched
 * like any other word, so a longer phrase still wins ("de thuong" is "dễ thương", not "de" + "thuong").
 */
const STOP_WORDS = [
  'and',
  'of',
  'the',
  'for',
  'with',
  'in',
  'colour',
  'color',
  'de',
  'del',
  'y',
  'con',
  'para',
  'el',
  'la',
  'los',
  'las',
  'en',
  'và',
  'màu',
];

/**
 * Words found in so many names that expanding them would match almost everything; typed alone they are
 * ignored. The other connectives are stop words, which the dictionary already reads as no term.
 */
const FUNCTION_WORDS = ['của', 'cho'];

/** The shortest unmatched Chinese or Thai run that is expanded: one character is part of too many names. */
const MIN_RUN_EXPANDED = 2;

/** Chinese and Thai fillers: recognised (so they do not end up as unknown words) but they give no term. */
const FILLERS = ['的', '和', '与', '色', '颜色', 'สี', 'และ'];

/** Spelling variants a buyer may type that the vocabulary does not spell out. */
const ALIASES: [string, string][] = [
  ['gray', 'c:grey'],
  ['navy', 'c:navy'],
  ['aluminum alloy', 'm:aluminium-alloy'],
  ['drawer organizer', 't:drawer-organiser'],
  ["kids' pajama set", 't:kids-pyjamas'],
];

const UNIT = /(\p{Script=Han})|(\p{Script=Thai})|((?:(?![\p{Script=Han}\p{Script=Thai}])[\p{L}\p{N}\p{M}])+)/gu;
const APOSTROPHES = /['’ʼ`]/g;
const POSSESSIVE = /(?<=\p{L})['’ʼ]s(?!\p{L})/gu;
/** Thai characters that attach to the preceding consonant: a word can neither start with one nor be cut before one. */
const THAI_FOLLOWER = /^[\u0E30-\u0E3A\u0E45-\u0E4E]$/;

/** What a unit is: a word of a space-separated script, a Chinese character or a Thai character. */
type Kind = 'word' | 'han' | 'thai';

interface Unit {
  /** NFKC, lower case. */
  text: string;
  /** Diacritics removed (Latin words only; Han and Thai units are their own folded form). */
  folded: string;
  kind: Kind;
  start: number;
  end: number;
}

interface Entry {
  units: string[];
  terms: string[];
}

interface TrieNode {
  next: Map<string, TrieNode>;
  entries: Entry[];
}

function normalize(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(APOSTROPHES, '');
}

function fold(word: string): string {
  return word.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').normalize('NFC');
}

const STOP_WORD_SET = new Set(STOP_WORDS);

function isStopWord(unit: Unit): boolean {
  return unit.kind === 'word' && STOP_WORD_SET.has(unit.text);
}

function units(text: string): Unit[] {
  return unitsOf(normalize(text));
}

/** The units of normalized text, placed in it. */
function unitsOf(norm: string): Unit[] {
  const out: Unit[] = [];
  for (const m of norm.matchAll(UNIT)) {
    const s = m[0];
    const kind = m[1] !== undefined ? 'han' : m[2] !== undefined ? 'thai' : 'word';
    out.push({ text: s, folded: kind === 'word' ? fold(s) : s, kind, start: m.index, end: m.index + s.length });
  }
  return out;
}

/** A letter and its combining marks, with Vietnamese đ read as d plus a stroke. */
function decompose(ch: string): { base: string; marks: string } {
  if (ch === 'đ') return { base: 'd', marks: '\u0335' };
  const nfd = ch.normalize('NFD');
  return { base: nfd.charAt(0), marks: nfd.slice(1) };
}

/**
 * Whether a typed word can stand for a dictionary word: the same letters, each carrying only marks the
 * dictionary word has. "ao thun nữ" stands for "áo thun nữ", but "đèn" (lamp) is not "đen" (black)
 * and "bé" (baby) is not "be" (beige).
 */
function compatible(typed: string, word: string): boolean {
  if (typed === word) return true;
  const a = [...typed];
  const b = [...word];
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as string;
    const y = b[i] as string;
    if (x === y) continue;
    const dx = decompose(x);
    const dy = decompose(y);
    if (dx.base !== dy.base) return false;
    for (const mark of dx.marks) if (!dy.marks.includes(mark)) return false;
  }
  return true;
}

function isThaiFollower(unit: Unit | undefined): boolean {
  return unit !== undefined && unit.kind === 'thai' && THAI_FOLLOWER.test(unit.text);
}

class Dictionary {
  private readonly root: TrieNode = { next: new Map(), entries: [] };

  /** Adds the surface form, and the forms without some or all of its stop words ("vestido flores"). */
  add(surface: string, terms: string[]): void {
    const us = units(surface);
    const stops = us.flatMap((u, i) => (isStopWord(u) ? [i] : []));
    // Phrases hold at most a few stop words; beyond that only the full and the bare forms are added.
    const masks = stops.length <= 4 ? Array.from({ length: 1 << stops.length }, (_, m) => m) : [0, -1];
    for (const mask of masks) {
      const drop = new Set(stops.filter((_, k) => mask === -1 || (mask >> k) & 1));
      const kept = us.filter((_, i) => !drop.has(i));
      if (kept.length > 0) this.addUnits(kept, terms);
    }
  }

  private addUnits(us: Unit[], terms: string[]): void {
    let node = this.root;
    for (const u of us) {
      let child = node.next.get(u.folded);
      if (!child) {
        child = { next: new Map(), entries: [] };
        node.next.set(u.folded, child);
      }
      node = child;
    }
    const texts = us.map((u) => u.text);
    const same = node.entries.find((e) => e.units.every((t, i) => t === texts[i]));
    if (same) {
      // One spelling naming several things (none in the vocabulary today): it stands for all of them.
      for (const t of terms) if (!same.terms.includes(t)) same.terms.push(t);
    } else {
      node.entries.push({ units: texts, terms: [...terms] });
    }
  }

  /** The longest entry matching at `from`, and where it ends, or null. */
  match(us: Unit[], from: number): { entry: Entry; end: number } | null {
    if (isThaiFollower(us[from])) return null;
    let node: TrieNode | undefined = this.root;
    let best: { entry: Entry; end: number } | null = null;
    for (let i = from; i < us.length; i++) {
      node = node.next.get((us[i] as Unit).folded);
      if (!node) break;
      if (node.entries.length === 0) continue;
      const next = us[i + 1];
      if (isThaiFollower(next) && next?.start === (us[i] as Unit).end) continue;
      const entry = pick(node.entries, us, from);
      if (entry) best = { entry, end: i + 1 };
    }
    return best;
  }
}

interface Surface {
  /** The whole name, normalized, for Chinese and Thai runs. */
  text: string;
  /** Its units without stop words, for Latin words and phrases. */
  units: Unit[];
  terms: string[];
}

/** The names each term is written with, searched for the words and runs that are only part of one. */
class Expander {
  private readonly surfaces = new Map<string, Surface>();
  /** Where each folded word stands in the names: the name and the position among its units. */
  private readonly places = new Map<string, { surface: Surface; at: number }[]>();
  /** The most units a name has, which bounds the phrases worth looking up. */
  longest = 0;

  add(surface: string, terms: string[]): void {
    const text = normalize(surface);
    const known = this.surfaces.get(text);
    if (known) {
      for (const t of terms) if (!known.terms.includes(t)) known.terms.push(t);
      return;
    }
    const entry: Surface = { text, units: units(surface).filter((u) => !isStopWord(u)), terms: [...terms] };
    this.surfaces.set(text, entry);
    this.longest = Math.max(this.longest, entry.units.length);
    entry.units.forEach((u, at) => {
      if (u.kind !== 'word') return;
      const list = this.places.get(u.folded);
      if (list) list.push({ surface: entry, at });
      else this.places.set(u.folded, [{ surface: entry, at }]);
    });
  }

  /**
   * The terms of the names holding these Latin words in a row (stop words aside), each typed word
   * standing for the name's word as in the dictionary (accents may be left out, not changed).
   */
  phrase(words: Unit[]): string[] {
    const found = new Set<string>();
    const first = words[0];
    if (!first) return [];
    for (const { surface, at } of this.places.get(first.folded) ?? []) {
      if (at + words.length > surface.units.length) continue;
      const fits = words.every((w, k) => {
        const u = surface.units[at + k] as Unit;
        return u.kind === 'word' && u.folded === w.folded && compatible(w.text, u.text);
      });
      if (fits) for (const t of surface.terms) found.add(t);
    }
    return [...found];
  }

  /** The terms of the names containing this Chinese or Thai run. */
  substring(run: string): string[] {
    const found = new Set<string>();
    for (const s of this.surfaces.values()) if (s.text.includes(run)) for (const t of s.terms) found.add(t);
    return [...found];
  }
}

/** The entry spelled exactly as typed, else the first one the typed words can stand for. */
function pick(entries: Entry[], us: Unit[], from: number): Entry | undefined {
  const typed = (k: number): string => (us[from + k] as Unit).text;
  const exact = entries.find((e) => e.units.every((t, k) => t === typed(k)));
  return exact ?? entries.find((e) => e.units.every((t, k) => compatible(typed(k), t)));
}

function colourVariants(name: Words): string[] {
  const out: string[] = [];
  out.push(name.zh.endsWith('色') ? name.zh.slice(0, -1) : `${name.zh}色`);
  out.push(name.th.startsWith('สี') ? name.th.slice(2) : `สี${name.th}`);
  return out;
}

/** Hyphenated words also as one word: "t-shirt" is typed "tshirt" too. */
function hyphenVariants(surface: string): string[] {
  return /\p{L}-\p{L}/u.test(surface) ? [surface.replace(/(?<=\p{L})-(?=\p{L})/gu, '')] : [];
}

interface Tables {
  dict: Dictionary;
  expander: Expander;
  /** The terms every good with a term also has: a type's category and top-level category, a category's top. */
  broader: Map<string, string[]>;
}

function buildTables(vocab: Vocabulary): Tables {
  const dict = new Dictionary();
  const expander = new Expander();
  const add = (surface: string, terms: string[]): void => {
    dict.add(surface, terms);
    expander.add(surface, terms);
    // "women" is part of "women's jeans" as titles are searched, though the dictionary reads "womens".
    const bare = surface.replace(POSSESSIVE, '');
    if (bare !== surface) expander.add(bare, terms);
  };
  const addWords = (name: Words, term: string, extra: string[] = []): void => {
    for (const lang of LANGS) {
      add(name[lang], [term]);
      for (const v of hyphenVariants(name[lang])) add(v, [term]);
    }
    for (const v of extra) add(v, [term]);
  };
  for (const t of vocab.productTypes) addWords(t.name, `${TERM_PREFIX.type}${t.key}`);
  for (const m of vocab.materials) addWords(m.name, `${TERM_PREFIX.material}${m.key}`);
  for (const s of vocab.styles) addWords(s.name, `${TERM_PREFIX.style}${s.key}`);
  for (const c of vocab.colours) addWords(c.name, `${TERM_PREFIX.colour}${c.key}`, colourVariants(c.name));
  for (const c of vocab.categories) addWords(c.name, `${TERM_PREFIX.category}${c.key}`);
  for (const c of vocab.topCategories) addWords(c.name, `${TERM_PREFIX.topCategory}${c.key}`);
  for (const [surface, term] of ALIASES) add(surface, [term]);
  for (const f of [...FILLERS, ...STOP_WORDS]) dict.add(f, []);
  const broader = new Map<string, string[]>();
  const topOf = new Map(vocab.categories.map((c) => [c.key, c.parent]));
  for (const c of vocab.categories)
    broader.set(`${TERM_PREFIX.category}${c.key}`, [`${TERM_PREFIX.topCategory}${c.parent}`]);
  for (const t of vocab.productTypes) {
    const top = topOf.get(t.category);
    broader.set(`${TERM_PREFIX.type}${t.key}`, [
      `${TERM_PREFIX.category}${t.category}`,
      ...(top === undefined ? [] : [`${TERM_PREFIX.topCategory}${top}`]),
    ]);
  }
  return { dict, expander, broader };
}

function isFunctionWord(unit: Unit): boolean {
  return FUNCTION_WORDS.some((w) => compatible(unit.text, w));
}

/** A condition on a good: it has one of these terms. */
interface Clause {
  terms: string[];
  /** A term of a whole entry, left as such. */
  exact: boolean;
}

/**
 * Whether a segment ends between two units: at a gap, except between Latin words, which are separated
 * by spaces anyway. Chinese and Thai runs and Latin phrases are segments.
 */
function breaksSegment(a: Unit, b: Unit): boolean {
  return a.end !== b.start && !(a.kind === 'word' && b.kind === 'word');
}

/**
 * Groups as the index is best given them: without the terms a broader term of the same group covers
 * (fewer lists to merge), and without the groups met whenever a term or another group is.
 */
function simplify(groups: string[][], terms: Set<string>, broader: Map<string, string[]>): string[][] {
  const meets = (term: string, group: Set<string>): boolean =>
    group.has(term) || (broader.get(term) ?? []).some((b) => group.has(b));
  const pruned = groups.map((g) => {
    const set = new Set(g);
    return g.filter((t) => !(broader.get(t) ?? []).some((b) => set.has(b)));
  });
  const sets = pruned.map((g) => new Set(g));
  const implies = (a: string[], b: Set<string>): boolean => a.every((t) => meets(t, b));
  return pruned.filter((g, i) => {
    const mine = sets[i] as Set<string>;
    if ([...terms].some((t) => meets(t, mine))) return false;
    // Of two groups met by the same goods, the first is kept.
    return !pruned.some(
      (other, j) => j !== i && implies(other, mine) && (j < i || !implies(g, sets[j] as Set<string>)),
    );
  });
}

function analyzeWith({ dict, expander, broader }: Tables, text: string): Analysis {
  const norm = normalize(text);
  const us = unitsOf(norm);
  const terms = new Set<string>();
  const groups: string[][] = [];
  const unknown = new Set<string>();

  // The current segment: its conditions, how many words or runs gave them, and what it says in full.
  let clauses: Clause[] = [];
  let pieces = 0;
  let partial = false;
  let words: Unit[] = [];
  let onlyWords = true;
  let start = -1;
  let end = -1;
  const part = (found: string[], word: string): void => {
    pieces++;
    partial = true;
    if (found.length > 0) clauses.push({ terms: found, exact: false });
    else unknown.add(word);
  };

  // Unmatched Chinese/Thai characters are gathered into runs, which end at a match, a gap or another script.
  let run = '';
  let runKind: Kind = 'word';
  let runEnd = -1;
  const flushRun = (): void => {
    if (!run) return;
    part([...run].length >= MIN_RUN_EXPANDED ? expander.substring(run) : [], run);
    run = '';
  };

  // Unmatched Latin words in a row (stop words aside) are read as one phrase where a name holds them in
  // that order: "túi đeo" is a crossbody or a shoulder bag, not any bag with a strap. Where none does,
  // the longest phrase from the left is taken, down to single words.
  let phrase: Unit[] = [];
  const flushPhrase = (): void => {
    let i = 0;
    while (i < phrase.length) {
      const first = phrase[i] as Unit;
      let next = i + 1;
      let found: string[] = [];
      for (let j = Math.min(phrase.length, i + expander.longest); j > i; j--) {
        if (j === i + 1 && isFunctionWord(first)) break;
        found = expander.phrase(phrase.slice(i, j));
        if (found.length > 0) {
          next = j;
          break;
        }
      }
      part(found, first.folded);
      i = next;
    }
    phrase = [];
  };

  // A segment mixing whole entries and parts of names ("bra thể thao", "แก้วมั") may also be part of
  // one name as a whole (sports bras of any style, mugs of any material): each of its conditions is then
  // met by that name too, so both readings are found.
  const closeSegment = (): void => {
    flushRun();
    flushPhrase();
    if (pieces >= 2 && partial) {
      const whole = onlyWords
        ? words.length <= expander.longest
          ? expander.phrase(words)
          : []
        : expander.substring(norm.slice(start, end));
      if (whole.length > 0)
        clauses = clauses.map((c) => ({ terms: [...new Set([...c.terms, ...whole])], exact: false }));
    }
    for (const c of clauses) {
      if (c.exact) for (const t of c.terms) terms.add(t);
      else groups.push(c.terms);
    }
    clauses = [];
    pieces = 0;
    partial = false;
    words = [];
    onlyWords = true;
    start = -1;
  };

  let i = 0;
  while (i < us.length) {
    const u = us[i] as Unit;
    const prev = us[i - 1];
    if (prev && breaksSegment(prev, u)) closeSegment();
    if (start < 0) start = u.start;
    const m = dict.match(us, i);
    if (m) {
      flushRun();
      const named = m.entry.terms.length > 0;
      // Stop words (the only Latin entries without terms) do not break a phrase: "camisa de manga".
      if (named || u.kind !== 'word') flushPhrase();
      if (named) pieces++;
      for (const t of m.entry.terms) clauses.push({ terms: [t], exact: true });
      for (let k = i; k < m.end; k++) {
        const x = us[k] as Unit;
        if (x.kind !== 'word') onlyWords = false;
        else if (named && !isStopWord(x)) words.push(x);
      }
      end = (us[m.end - 1] as Unit).end;
      i = m.end;
      continue;
    }
    if (u.kind === 'word') {
      flushRun();
      phrase.push(u);
      words.push(u);
    } else {
      onlyWords = false;
      flushPhrase();
      if (run && (u.kind !== runKind || u.start !== runEnd)) flushRun();
      run += u.text;
      runKind = u.kind;
      runEnd = u.end;
    }
    end = u.end;
    i++;
  }
  closeSegment();
  return { terms: [...terms], groups: simplify(groups, terms, broader), unknown: [...unknown] };
}

export function createAnalyzer(vocab: Vocabulary): Analyzer {
  const tables = buildTables(vocab);
  const topOf = new Map(vocab.categories.map((c) => [c.key, c.parent]));
  return {
    analyze: (text) => analyzeWith(tables, text),
    documentTerms: (good) => {
      const terms = [
        `${TERM_PREFIX.type}${good.productType}`,
        `${TERM_PREFIX.material}${good.material}`,
        `${TERM_PREFIX.style}${good.style}`,
        ...good.colours.map((c) => `${TERM_PREFIX.colour}${c}`),
        `${TERM_PREFIX.category}${good.category}`,
      ];
      const top = topOf.get(good.category);
      if (top !== undefined) terms.push(`${TERM_PREFIX.topCategory}${top}`);
      return terms;
    },
  };
}

let standard: Analyzer | undefined;

/** The analyzer for the built-in vocabulary, built on first use. */
export function standardAnalyzer(): Analyzer {
  standard ??= createAnalyzer(VOCABULARY);
  return standard;
}

export function analyze(text: string): Analysis {
  return standardAnalyzer().analyze(text);
}

export function documentTerms(good: IndexedFields): string[] {
  return standardAnalyzer().documentTerms(good);
}
