/**
 * A seeded pseudo-random stream (sfc32, seeded through splitmix32): the same seed gives the same sequence on
 * every machine and Node version, which Math.random does not promise. The benchmark data must be
 * byte-identical run after run so that timings from different days compare the same input. A 128-bit state
 * matters: with a 32-bit one (mulberry32) the streams of different files overlap and repeat whole runs of
 * records, eventIDs included.
 */
export class SeededRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let state = seed >>> 0;
    const splitmix = (): number => {
      state = (state + 0x9e3779b9) >>> 0;
      let mixed = state;
      mixed = Math.imul(mixed ^ (mixed >>> 16), 0x21f0aaad);
      mixed = Math.imul(mixed ^ (mixed >>> 15), 0x735a2d97);
      return (mixed ^ (mixed >>> 15)) >>> 0;
    };
    this.a = splitmix();
    this.b = splitmix();
    this.c = splitmix();
    this.d = splitmix();
    for (let warmUp = 0; warmUp < 12; warmUp++) this.next();
  }

  /** A float in [0, 1). */
  next(): number {
    const sum = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + sum) | 0;
    return (sum >>> 0) / 4294967296;
  }

  /** An integer in [0, limit). */
  below(limit: number): number {
    return Math.floor(this.next() * limit);
  }

  /** An integer in [min, max], both included. */
  between(min: number, max: number): number {
    return min + this.below(max - min + 1);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('cannot pick from an empty list');
    return items[this.below(items.length)] as T;
  }

  /** `count` distinct items in their original order. */
  sample<T>(items: readonly T[], count: number): T[] {
    const chosen = new Set<number>();
    const wanted = Math.min(count, items.length);
    while (chosen.size < wanted) chosen.add(this.below(items.length));
    return [...chosen].sort((a, b) => a - b).map((index) => items[index] as T);
  }

  /** `length` characters drawn from `alphabet`. */
  characters(alphabet: string, length: number): string {
    let text = '';
    for (let index = 0; index < length; index++) text += alphabet[this.below(alphabet.length)] ?? '';
    return text;
  }

  /** A random version-4-shaped UUID, the form CloudTrail uses for eventID and requestID. */
  uuid(): string {
    const hex = this.characters(HEX_DIGITS, 32);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${'89ab'[this.below(4)] ?? '8'}${hex.slice(17, 20)}-${hex.slice(20)}`;
  }
}

const HEX_DIGITS = '0123456789abcdef';

/** Derives an independent seed for a numbered part (a file, a rule) so parts do not depend on each other's draws. */
export function derivedSeed(seed: number, part: number): number {
  let mixed = (seed ^ Math.imul(part + 1, 0x9e3779b1)) >>> 0;
  mixed = Math.imul(mixed ^ (mixed >>> 16), 0x85ebca6b) >>> 0;
  mixed = Math.imul(mixed ^ (mixed >>> 13), 0xc2b2ae35) >>> 0;
  return (mixed ^ (mixed >>> 16)) >>> 0;
}

/** Picks items in proportion to their weights. */
export class WeightedChoice<T> {
  private readonly items: readonly T[];
  private readonly cumulative: readonly number[];
  private readonly total: number;

  constructor(entries: readonly (readonly [T, number])[]) {
    let running = 0;
    const cumulative: number[] = [];
    for (const [, weight] of entries) {
      if (!(weight > 0)) throw new Error(`weights must be positive, got ${weight}`);
      running += weight;
      cumulative.push(running);
    }
    if (entries.length === 0) throw new Error('a weighted choice needs at least one entry');
    this.items = entries.map(([item]) => item);
    this.cumulative = cumulative;
    this.total = running;
  }

  pick(random: SeededRandom): T {
    const target = random.next() * this.total;
    const index = this.cumulative.findIndex((bound) => target < bound);
    return this.items[index === -1 ? this.items.length - 1 : index] as T;
  }
}
