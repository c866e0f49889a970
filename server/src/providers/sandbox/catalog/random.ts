import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

/** A deterministic random stream (xoroshiro128+), derived from a seed and the names of what it is for. */
export class Rng {
  private readonly gen: RandomGenerator;

  /** `parts` name the stream, e.g. (seed, 'taobao', 'good', 42): equal parts give equal streams. */
  constructor(...parts: (string | number)[]) {
    this.gen = xoroshiro128plus(hashParts(parts));
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return uniformInt(this.gen, min, max);
  }

  /** A float in [0, 1). */
  float(): number {
    return uniformInt(this.gen, 0, 0x3fffffff) / 0x40000000;
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(0, items.length - 1)] as T;
  }

  /** `n` distinct items, in random order. */
  sample<T>(items: readonly T[], n: number): T[] {
    const pool = [...items];
    const out: T[] = [];
    while (out.length < n && pool.length > 0) out.push(pool.splice(this.int(0, pool.length - 1), 1)[0] as T);
    return out;
  }

  /** Characters from `alphabet`. */
  chars(alphabet: string, length: number): string {
    let s = '';
    for (let i = 0; i < length; i++) s += alphabet[this.int(0, alphabet.length - 1)];
    return s;
  }
}

/** FNV-1a over the parts, folded to a 32-bit seed. */
function hashParts(parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    const text = `${part}\u0000`;
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
  }
  return h | 0;
}
