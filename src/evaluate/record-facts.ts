import type { CloudTrailRecord } from '../records/cloudtrail-record.js';

/** A fact path's place in RecordFacts: a number handed out once, at compile time. */
export type FactSlot = number;

const LIST_INDEX = /^(0|[1-9][0-9]*)$/;

/** The slot of the record itself: the empty path, and the base every path starts from. */
const RECORD_SLOT: FactSlot = 0;

/**
 * The fact values of the record being evaluated, each path read at most once per record. Rules of a pack
 * read the same few paths (`userIdentity.type`, `sourceIPAddress`, `eventName`) over and over; here every
 * distinct path, and every prefix of one (`userIdentity` for `userIdentity.type` and `userIdentity.arn`),
 * gets a slot when the conditions are compiled, and per record a slot is walked the first time a leaf
 * asks for it, then remembered until the next record. Records are told apart by a generation number, so
 * starting a record allocates nothing and clears nothing.
 *
 * The walk is readFactPath's: own properties only (`constructor`, `__proto__` read as absent), list
 * elements by decimal index, undefined past a non-object; an empty path is the record itself, as
 * json-rules-engine skips its path resolver then.
 *
 * One instance serves one evaluator, one record at a time (evaluation is synchronous).
 */
export class RecordFacts {
  /** Per slot: the slot it steps from (RECORD_SLOT for a first segment; -1 for the record slot itself). */
  readonly #parents: number[] = [-1];
  /** Per slot: the property it steps into, and whether that name can address a list element. */
  readonly #names: string[] = [''];
  readonly #isIndex: boolean[] = [false];
  /** Per slot: its child slots by segment name. Maps, not objects: a segment such as `__proto__` is just a key. */
  readonly #children: Map<string, FactSlot>[] = [new Map()];
  /** Per slot: the generation its value was read in, and the value. */
  #readIn = new Float64Array(1);
  readonly #values: unknown[] = [undefined];
  #generation = 0;

  /** The slot for a dotted path, shared with every other leaf that reads the same path. */
  slotOf(path: string): FactSlot {
    if (path === '') return RECORD_SLOT;
    let slot = RECORD_SLOT;
    for (const name of path.split('.')) slot = this.#childOf(slot, name);
    return slot;
  }

  /** Starts a record: every slot read before now is stale. */
  begin(record: CloudTrailRecord): void {
    this.#generation += 1;
    this.#values[RECORD_SLOT] = record;
    this.#readIn[RECORD_SLOT] = this.#generation;
  }

  /** The value at a slot's path in the current record, walked at most once per record. */
  read(slot: FactSlot): unknown {
    const readIn = this.#readIn;
    if (readIn[slot] === this.#generation) return this.#values[slot];
    const parent = this.#parents[slot] as number;
    const value = stepInto(this.read(parent), this.#names[slot] as string, this.#isIndex[slot] as boolean);
    this.#values[slot] = value;
    readIn[slot] = this.#generation;
    return value;
  }

  #childOf(parent: FactSlot, name: string): FactSlot {
    const children = this.#children[parent] as Map<string, FactSlot>;
    const known = children.get(name);
    if (known !== undefined) return known;
    const slot = this.#parents.length;
    this.#parents.push(parent);
    this.#names.push(name);
    this.#isIndex.push(LIST_INDEX.test(name));
    this.#children.push(new Map());
    this.#values.push(undefined);
    const readIn = new Float64Array(slot + 1);
    readIn.set(this.#readIn);
    this.#readIn = readIn;
    children.set(name, slot);
    return slot;
  }
}

function stepInto(current: unknown, name: string, isIndex: boolean): unknown {
  if (typeof current !== 'object' || current === null) return undefined;
  if (Array.isArray(current) && !isIndex) return undefined;
  return Object.hasOwn(current, name) ? (current as Record<string, unknown>)[name] : undefined;
}
