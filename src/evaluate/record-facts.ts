/** A fact path's place in RecordFacts: a number handed out once, when conditions are compiled. */
export type FactSlot = number;

/** How a slot's value is reached: one property of its parent slot's value. */
interface PathStep {
  readonly parent: FactSlot;
  readonly name: string;
  /** Whether the name can address a list element (a decimal index without leading zeros). */
  readonly isIndex: boolean;
  /** The slots one step further, by name. A Map, not an object: a name such as `__proto__` is just a key. */
  readonly next: Map<string, FactSlot>;
}

const LIST_INDEX = /^(0|[1-9][0-9]*)$/;

/** The slot of the record itself: the empty path, and where every other path starts. */
const RECORD_SLOT: FactSlot = 0;

/**
 * The fact values of the record being evaluated, each path read at most once per record. Rules of a pack
 * read the same few paths (`userIdentity.type`, `sourceIPAddress`, `eventName`) over and over; here every
 * distinct path, and every prefix of one (`userIdentity` for `userIdentity.type` and `userIdentity.arn`),
 * gets a slot when the conditions are compiled, and per record a slot is walked the first time a leaf
 * asks for it, then kept until the next record. Records are told apart by a generation number, so
 * starting one allocates and clears nothing.
 *
 * The walk is readFactPath's: own properties only (`constructor`, `__proto__` read as absent), list
 * elements by decimal index, undefined past a non-object; an empty path is the record itself, as
 * json-rules-engine skips its path resolver then.
 *
 * One instance serves one evaluator, one record at a time (evaluation is synchronous).
 */
export class RecordFacts {
  readonly #steps: PathStep[] = [{ parent: -1, name: '', isIndex: false, next: new Map<string, FactSlot>() }];
  /** Per slot: its value in the current record, valid when the slot's `readIn` is the current generation. */
  readonly #values: unknown[] = [undefined];
  #readIn = new Float64Array(1);
  #generation = 0;

  /** The slot for a dotted path, shared with every other leaf that reads the same path. */
  slotOf(path: string): FactSlot {
    if (path === '') return RECORD_SLOT;
    let slot = RECORD_SLOT;
    for (const name of path.split('.')) slot = this.#nextSlot(slot, name);
    return slot;
  }

  /** Starts a record (or, for an element condition, a list element): every value read before now is stale. */
  begin(record: unknown): void {
    this.#generation += 1;
    this.#values[RECORD_SLOT] = record;
    this.#readIn[RECORD_SLOT] = this.#generation;
  }

  /** Which record is current: a number no earlier record of this instance had. */
  get generation(): number {
    return this.#generation;
  }

  /** The value at a slot's path in the current record, walked at most once per record. */
  read(slot: FactSlot): unknown {
    if (this.#readIn[slot] === this.#generation) return this.#values[slot];
    const step = this.#steps[slot] as PathStep;
    const value = stepInto(this.read(step.parent), step);
    this.#values[slot] = value;
    this.#readIn[slot] = this.#generation;
    return value;
  }

  #nextSlot(parent: FactSlot, name: string): FactSlot {
    const { next } = this.#steps[parent] as PathStep;
    const known = next.get(name);
    if (known !== undefined) return known;
    const slot = this.#steps.length;
    this.#steps.push({ parent, name, isIndex: LIST_INDEX.test(name), next: new Map<string, FactSlot>() });
    this.#values.push(undefined);
    if (slot >= this.#readIn.length) {
      const readIn = new Float64Array(2 * this.#readIn.length);
      readIn.set(this.#readIn);
      this.#readIn = readIn;
    }
    next.set(name, slot);
    return slot;
  }
}

function stepInto(current: unknown, step: PathStep): unknown {
  if (typeof current !== 'object' || current === null) return undefined;
  if (Array.isArray(current) && !step.isIndex) return undefined;
  return Object.hasOwn(current, step.name) ? (current as Record<string, unknown>)[step.name] : undefined;
}
