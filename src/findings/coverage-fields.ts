import { ASFF_LIMITS } from './asff-limits.js';
import { coarserPeriod, isPeriod, UNDATED_PERIOD } from '../coverage/periods.js';
import {
  bucketHashesOf,
  bucketHashesText,
  bucketHashOfText,
  bucketKey,
  compareBuckets,
  countedForm,
  effectiveCount,
  HASH_TEXT_LENGTH,
  makeBucket,
  mergeBuckets,
  NO_DIGEST,
  NO_HASHES,
  normalizeCoverage,
  sortedCoverage,
  xorOfDigests,
  type BucketHashes,
  type CountOf,
  type CoverageBucket,
  type EventCoverage,
} from '../coverage/event-coverage.js';

/**
 * Event coverage in ProductFields: `lfvaudit/Coverage/1`, `/2`, … each at most 2048 characters, as
 * many as the finding's budget of pairs allows. A value is entries separated by spaces:
 *
 *   2025102014/DeleteProject!AccessDenied:AbCd…    hashes (8 characters each, concatenated)
 *   2025102013/CreateDataset=3~AbCdEfGh            a count of 3 compacted from hashes, and their XOR
 *   2025102015/CreateDataset=2+:AbCdEfGh           at least 2 (a lower bound), and a hash
 *   202509/*=41~AbCdEfGh                           a compacted month, every kind of call folded together
 *   2025102016/CreateDataset=3                     a count without its digest (written before digests)
 *
 * Names and error codes are percent-encoded, so none of ` /=:!*` can appear in them unescaped. One
 * bucket may be spread over several entries (a long set of hashes); reading unions them.
 */
export const COVERAGE_FIELD_PREFIX = 'lfvaudit/Coverage/';

const FIELD_LENGTH = ASFF_LIMITS.productFields.valueLength;
const HASH = /^[A-Za-z0-9_-]*$/;
const FOLDED_KIND = '*';
const ENTRY = /^([-\d]+)\/([^/=:]*)(?:=(\d{1,15})(?:~([A-Za-z0-9_-]{8})|(\+))?)?(?::([A-Za-z0-9_-]+))?$/;
const LOWER_BOUND_MARK = '+';
const DIGEST_MARK = '~';

/** The coverage as ProductFields values, compacted first when it needs more than `maxFields` fields. */
export function coverageFields(coverage: EventCoverage, maxFields: number): Record<string, string> {
  const values = fittedValues(coverage, maxFields);
  const fields: Record<string, string> = {};
  values.forEach((value, index) => {
    fields[`${COVERAGE_FIELD_PREFIX}${index + 1}`] = value;
  });
  return fields;
}

/**
 * The coverage a finding's ProductFields hold. Stored findings come from Security Hub, so the text is
 * untrusted: entries that do not parse are left out (an event may then go uncounted, never double).
 */
export function coverageOfFields(fields: Readonly<Record<string, string>> | undefined): EventCoverage {
  const buckets = new Map<string, CoverageBucket>();
  for (const [key, value] of Object.entries(fields ?? {})) {
    if (!key.startsWith(COVERAGE_FIELD_PREFIX) || typeof value !== 'string') continue;
    for (const entry of value.split(' ')) {
      const bucket = parseEntry(entry);
      if (bucket === undefined) continue;
      const key = bucketKey(bucket.period, bucket.eventName, bucket.errorCode);
      const existing = buckets.get(key);
      buckets.set(key, existing === undefined ? bucket : mergeBuckets(existing, bucket));
    }
  }
  return normalizeCoverage(buckets);
}

/**
 * The coverage's values, made few enough for `maxFields` fields by compacting it, giving up exactness oldest first:
 * - when turning sets of hashes into counts is enough, the oldest sets become counts, hour by hour,
 *   each with the XOR of its hashes (a later run's hashes in such an hour are told apart from the
 *   counted events only when they are exactly those events; otherwise the hour is a lower bound);
 * - otherwise the oldest hours first become days, then days become months, counts only (a later run's
 *   events in that day or month count only when they outnumber what is stored);
 * - and last the kinds of call of the oldest months fold together (their event names and error codes
 *   are then counted as "other calls").
 * Effective counts, and so EventCount, are kept by every step; recent hours keep their hashes longest,
 * since they are the ones the next, overlapping run is likely to see again.
 */
function fittedValues(coverage: EventCoverage, maxFields: number): string[] {
  if (!(maxFields >= 1)) throw new RangeError(`a finding needs room for at least one coverage field, has ${maxFields}`);
  let fitted = coverage;
  let budget = maxFields * FIELD_LENGTH;
  for (;;) {
    const values = packEntries(fitted, maxFields);
    if (values !== undefined) return values;
    fitted = compactTo(fitted, budget);
    // Packing leaves the end of a field unused when the next entry does not fit: aim lower each round.
    budget -= FIELD_LENGTH / 4;
  }
}

function compactTo(coverage: EventCoverage, budget: number): EventCoverage {
  const buckets = [...coverage.values()];
  if (buckets.some((bucket) => bucket.hashes.length > 0) && lengthsOf(buckets).counted <= budget) {
    const counted = compactOldest(coverage, {
      eligible: (bucket) => bucket.hashes.length > 0,
      replace: (group) => group.map((bucket) => makeBucket(bucket.period, bucket.eventName, bucket.errorCode, countedForm(bucket), NO_HASHES)),
      done: (lengths) => lengths.asIs <= budget,
    });
    if (counted !== undefined) return counted;
  }
  const coarser =
    coarsenOldest(coverage, 10, budget) ??
    coarsenOldest(coverage, 8, budget) ??
    compactOldest(coverage, {
      eligible: (bucket) => bucket.period.length === 6 && bucket.eventName !== undefined,
      replace: (group) => [makeBucket(group[0]?.period ?? '', undefined, undefined, sumOfCounts(group), NO_HASHES)],
      groupOf: (bucket) => bucket.period,
      done: (lengths) => lengths.counted <= budget,
    });
  if (coarser === undefined) throw new Error(`a finding's event coverage cannot be compacted into its ProductFields budget (${coverage.size} buckets)`);
  return coarser;
}

/** Hours (length 10) into days, or days (8) into months, oldest first, whole periods at a time, counts only. */
function coarsenOldest(coverage: EventCoverage, periodLength: number, budget: number): EventCoverage | undefined {
  return compactOldest(coverage, {
    eligible: (bucket) => bucket.period.length === periodLength,
    replace: (group) => {
      const byKind = new Map<string, CoverageBucket[]>();
      for (const bucket of group) {
        const key = bucketKey(coarserPeriod(bucket.period) ?? bucket.period, bucket.eventName, bucket.errorCode);
        const parts = byKind.get(key);
        if (parts === undefined) byKind.set(key, [bucket]);
        else parts.push(bucket);
      }
      return [...byKind.values()].map((parts) => {
        const [first] = parts;
        if (first === undefined) throw new Error('bug: an empty group of buckets');
        return makeBucket(coarserPeriod(first.period) ?? first.period, first.eventName, first.errorCode, sumOfCounts(parts), NO_HASHES);
      });
    },
    groupOf: (bucket) => coarserPeriod(bucket.period) ?? bucket.period,
    // Until the rest would fit once its sets become counts: the next round does that, newest sets last.
    done: (lengths) => lengths.counted <= budget,
  });
}

/**
 * Buckets of disjoint events (different periods or kinds) as one count: their counts added, their
 * digests XORed (the XOR of a union of disjoint sets), a lower bound when any part is one.
 */
function sumOfCounts(buckets: readonly CoverageBucket[]): CountOf {
  let count = 0;
  let digest = 0;
  let lowerBound = false;
  for (const bucket of buckets) {
    const part = countedForm(bucket);
    count += part.count;
    digest = xorOfDigests(digest, part.digest);
    lowerBound ||= part.lowerBound;
  }
  return { count, digest: lowerBound ? NO_DIGEST : digest, lowerBound };
}

interface Compaction {
  readonly eligible: (bucket: CoverageBucket) => boolean;
  readonly replace: (group: CoverageBucket[]) => CoverageBucket[];
  /** Buckets with the same value are replaced together; default: each bucket alone. */
  readonly groupOf?: (bucket: CoverageBucket) => string;
  readonly done: (lengths: Lengths) => boolean;
}

/** Replaces the oldest groups of eligible buckets until `done`; undefined when no bucket is eligible. */
function compactOldest(coverage: EventCoverage, compaction: Compaction): EventCoverage | undefined {
  const groupOf = compaction.groupOf ?? ((bucket: CoverageBucket) => bucketKey(bucket.period, bucket.eventName, bucket.errorCode));
  const buckets = [...coverage.values()].sort(compareBuckets);
  const groups = new Map<string, CoverageBucket[]>();
  for (const bucket of buckets) {
    if (!compaction.eligible(bucket)) continue;
    const group = groups.get(groupOf(bucket));
    if (group === undefined) groups.set(groupOf(bucket), [bucket]);
    else group.push(bucket);
  }
  if (groups.size === 0) return undefined;
  const lengths = lengthsOf(buckets);
  const replaced = new Set<CoverageBucket>();
  const added: CoverageBucket[] = [];
  for (const group of groups.values()) {
    if (compaction.done(lengths)) break;
    const replacement = compaction.replace(group);
    const before = lengthsOf(group);
    const after = lengthsOf(replacement);
    lengths.asIs += after.asIs - before.asIs;
    lengths.counted += after.counted - before.counted;
    for (const bucket of group) replaced.add(bucket);
    added.push(...replacement);
  }
  return normalizeCoverage(sortedCoverage([...buckets.filter((bucket) => !replaced.has(bucket)), ...added]));
}

/** Estimated length of the entries as they are, and as they would be with every set of hashes made a count. */
interface Lengths {
  asIs: number;
  counted: number;
}

function lengthsOf(buckets: readonly CoverageBucket[]): Lengths {
  const lengths = { asIs: 0, counted: 0 };
  for (const bucket of buckets) {
    const head = entryHead(bucket).length + 1;
    lengths.asIs += head + countText(bucket).length + (bucket.hashes.length > 0 ? 1 + bucket.hashes.length * HASH_TEXT_LENGTH : 0);
    lengths.counted += head + 1 + String(effectiveCount(bucket)).length + 1 + HASH_TEXT_LENGTH;
  }
  return lengths;
}

/**
 * Entries packed greedily into values of at most 2048 characters, a long set of hashes split across
 * entries; undefined when they take more than `maxValues` values. Laid out by lengths alone first, so
 * that hashes become text only when they are written (a busy group's first tries do not fit).
 */
function packEntries(coverage: EventCoverage, maxValues: number): string[] | undefined {
  const buckets = [...coverage.values()].sort(compareBuckets);
  if (layOut(buckets, undefined) > maxValues) return undefined;
  const values: string[] = [];
  layOut(buckets, values);
  return values;
}

/**
 * Lays the buckets' entries out into values, each as full as the next entry allows, and returns how
 * many values they take; writes their texts into `values` when given.
 */
function layOut(buckets: readonly CoverageBucket[], values: string[] | undefined): number {
  let valueCount = 0;
  // The value being filled: its entries, the length they will have joined by spaces, and their texts when writing.
  let entryCount = 0;
  let length = 0;
  let entries: string[] = [];
  const emit = (entryLength: number, head: string, count: string, hashes: BucketHashes, from: number, to: number): void => {
    if (entryCount > 0 && length + 1 + entryLength > FIELD_LENGTH) {
      values?.push(entries.join(' '));
      valueCount += 1;
      entries = [];
      entryCount = 0;
    }
    length = entryCount === 0 ? entryLength : length + 1 + entryLength;
    entryCount += 1;
    if (values !== undefined) entries.push(from === to ? `${head}${count}` : `${head}${count}:${bucketHashesText(hashes, from, to)}`);
  };
  for (const bucket of buckets) {
    const head = entryHead(bucket);
    const count = countText(bucket);
    const { hashes } = bucket;
    if (hashes.length === 0) {
      emit(head.length + count.length, head, count, hashes, 0, 0);
      continue;
    }
    for (let at = 0; at < hashes.length;) {
      const prefixLength = head.length + (at === 0 ? count.length : 0) + 1;
      const room = FIELD_LENGTH - (entryCount === 0 ? 0 : length + 1) - prefixLength;
      const perEntry = Math.max(1, Math.floor((room >= HASH_TEXT_LENGTH ? room : FIELD_LENGTH - prefixLength) / HASH_TEXT_LENGTH));
      const end = Math.min(hashes.length, at + perEntry);
      emit(prefixLength + (end - at) * HASH_TEXT_LENGTH, head, at === 0 ? count : '', hashes, at, end);
      at = end;
    }
  }
  if (entryCount > 0) {
    values?.push(entries.join(' '));
    valueCount += 1;
  }
  return valueCount;
}

function entryHead(bucket: CoverageBucket): string {
  const kind =
    bucket.eventName === undefined ? FOLDED_KIND : `${encodeName(bucket.eventName)}${bucket.errorCode === undefined ? '' : `!${encodeName(bucket.errorCode)}`}`;
  return `${bucket.period}/${kind}`;
}

function countText(bucket: CoverageBucket): string {
  if (bucket.count === 0) return '';
  if (bucket.countIsLowerBound) return `=${bucket.count}${LOWER_BOUND_MARK}`;
  return bucket.countDigest === NO_DIGEST ? `=${bucket.count}` : `=${bucket.count}${DIGEST_MARK}${bucketHashesText(Float64Array.of(bucket.countDigest))}`;
}

function parseEntry(entry: string): CoverageBucket | undefined {
  const match = ENTRY.exec(entry);
  if (match === null) return undefined;
  const [, period = '', kind = '', countDigits, digestText, lowerBoundMark, hashText = ''] = match;
  if (!isPeriod(period) || !HASH.test(hashText) || hashText.length % HASH_TEXT_LENGTH !== 0) return undefined;
  const count = countDigits === undefined ? 0 : Number(countDigits);
  if (!Number.isSafeInteger(count)) return undefined;
  const digest = digestText === undefined ? NO_DIGEST : bucketHashOfText(digestText);
  if (digest === undefined) return undefined;
  const counted: CountOf = { count, digest: lowerBoundMark === undefined ? digest : NO_DIGEST, lowerBound: lowerBoundMark !== undefined };
  // The text may list hashes in any order, some more than once: bucketHashesOf sorts and dedupes.
  const parsed = new Float64Array(hashText.length / HASH_TEXT_LENGTH);
  for (let index = 0; index < parsed.length; index += 1) {
    const hash = bucketHashOfText(hashText, index * HASH_TEXT_LENGTH);
    if (hash === undefined) return undefined;
    parsed[index] = hash;
  }
  const hashes = bucketHashesOf(parsed);
  if (count === 0 && hashes.length === 0) return undefined;
  if (kind === FOLDED_KIND) return period === UNDATED_PERIOD ? undefined : makeBucket(period, undefined, undefined, counted, hashes);
  const [name, error, extra] = kind.split('!');
  if (name === undefined || extra !== undefined || error === '') return undefined;
  const eventName = decodeName(name);
  const errorCode = error === undefined ? undefined : decodeName(error);
  if (eventName === undefined || (error !== undefined && errorCode === undefined)) return undefined;
  return makeBucket(period, eventName, errorCode, counted, hashes);
}

/** What encodeURIComponent leaves as it is, less the `!'()*~` that encodeName escapes as well. */
const UNENCODED_NAME = /^[A-Za-z0-9_.-]*$/;

/** encodeURIComponent, plus the characters it leaves alone that the entry syntax uses or might. */
function encodeName(name: string): string {
  // API names and error codes are letters and digits: nothing to encode, and no need to ask encodeURIComponent.
  if (UNENCODED_NAME.test(name)) return name;
  return encodeURIComponent(name).replace(/[!'()*~]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
}

function decodeName(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
