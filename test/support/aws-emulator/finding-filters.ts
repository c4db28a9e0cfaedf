/**
 * GetFindings' Filters and SortCriteria over stored findings
 * (https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_AwsSecurityFindingFilters.html).
 *
 * Only the filter fields listed below are implemented; any other field is rejected with
 * InvalidInputException rather than silently ignored, so a test can never pass because a filter was
 * dropped.
 */
import { AwsApiError } from './api-error.js';
import { isJsonObject, ownField, ownString, type JsonObject } from './json-value.js';

type Finding = JsonObject;

/** String filter fields and the values they read from a finding (several for list fields). */
const STRING_FIELDS: ReadonlyMap<string, (finding: Finding) => readonly string[]> = new Map([
  ['Id', top('Id')],
  ['ProductArn', top('ProductArn')],
  ['GeneratorId', top('GeneratorId')],
  ['AwsAccountId', top('AwsAccountId')],
  ['Title', top('Title')],
  ['Description', top('Description')],
  ['Region', top('Region')],
  ['ProductName', top('ProductName')],
  ['CompanyName', top('CompanyName')],
  ['RecordState', top('RecordState')],
  ['VerificationState', top('VerificationState')],
  ['SeverityLabel', nested('Severity', 'Label')],
  ['WorkflowStatus', nested('Workflow', 'Status')],
  ['ComplianceStatus', nested('Compliance', 'Status')],
  ['Type', (finding) => stringsOf(ownField(finding, 'Types'))],
  ['ResourceType', (finding) => resources(finding).flatMap((resource) => optional(ownString(resource, 'Type')))],
  ['ResourceId', (finding) => resources(finding).flatMap((resource) => optional(ownString(resource, 'Id')))],
]);

const DATE_FIELDS = new Set(['CreatedAt', 'UpdatedAt', 'FirstObservedAt', 'LastObservedAt', 'ProcessedAt']);

const MAP_FIELDS: ReadonlyMap<string, (finding: Finding) => readonly JsonObject[]> = new Map([
  ['ProductFields', (finding: Finding) => objectsOf(ownField(finding, 'ProductFields'))],
  ['UserDefinedFields', (finding: Finding) => objectsOf(ownField(finding, 'UserDefinedFields'))],
  ['ResourceTags', (finding: Finding) => resources(finding).flatMap((resource) => objectsOf(ownField(resource, 'Tags')))],
]);

/** Fields SortCriteria may name: the single-valued string fields and the dates. */
const SORT_FIELDS = new Set([...[...STRING_FIELDS.keys()].filter((field) => !['Type', 'ResourceType', 'ResourceId'].includes(field)), ...DATE_FIELDS]);

const POSITIVE = new Set(['EQUALS', 'PREFIX', 'CONTAINS']);
const NEGATIVE = new Set(['NOT_EQUALS', 'PREFIX_NOT_EQUALS', 'NOT_CONTAINS']);
const DAY_MS = 24 * 60 * 60 * 1000;

export type FindingPredicate = (finding: Finding) => boolean;

/** A predicate for `Filters`, or InvalidInputException for filters Security Hub (or this emulator) refuses. */
export function compileFilters(filters: unknown, now: number): FindingPredicate {
  if (filters === undefined) return () => true;
  if (!isJsonObject(filters)) throw invalid('Filters must be an object');
  const predicates = Object.entries(filters).map(([field, list]): FindingPredicate => {
    if (!Array.isArray(list)) throw invalid(`Filters.${field} must be a list`);
    const read = STRING_FIELDS.get(field);
    if (read !== undefined) return stringFieldPredicate(field, list, read);
    if (DATE_FIELDS.has(field)) return dateFieldPredicate(field, list, now);
    const readMaps = MAP_FIELDS.get(field);
    if (readMaps !== undefined) return mapFieldPredicate(field, list, readMaps);
    throw invalid(
      `Filter field '${field}' is not implemented by the AWS emulator (supported: ${[...STRING_FIELDS.keys(), ...DATE_FIELDS, ...MAP_FIELDS.keys()].join(', ')})`,
    );
  });
  return (finding) => predicates.every((predicate) => predicate(finding));
}

/**
 * CONTAINS, EQUALS and PREFIX filters on a field are joined by OR; NOT_CONTAINS, NOT_EQUALS and
 * PREFIX_NOT_EQUALS by AND. CONTAINS and NOT_CONTAINS combine with nothing else, and EQUALS does not
 * combine with NOT_EQUALS or PREFIX_NOT_EQUALS: Security Hub answers those with an error.
 */
function stringFieldPredicate(field: string, list: readonly unknown[], read: (finding: Finding) => readonly string[]): FindingPredicate {
  const filters = list.map((filter) => comparisonFilter(field, filter, [...POSITIVE, ...NEGATIVE]));
  checkCombination(
    field,
    filters.map((filter) => filter.comparison),
  );
  const positives = filters.filter((filter) => POSITIVE.has(filter.comparison));
  const negatives = filters.filter((filter) => NEGATIVE.has(filter.comparison));
  return (finding) => {
    const values = read(finding);
    const anyPositive = positives.length === 0 || positives.some((filter) => values.some((value) => stringMatches(filter.comparison, value, filter.value)));
    return anyPositive && negatives.every((filter) => values.every((value) => stringMatches(filter.comparison, value, filter.value)));
  };
}

function checkCombination(field: string, comparisons: readonly string[]): void {
  const has = (comparison: string) => comparisons.includes(comparison);
  const onlyWith = (comparison: string) => has(comparison) && comparisons.some((other) => other !== comparison);
  if (onlyWith('CONTAINS') || onlyWith('NOT_CONTAINS') || (has('EQUALS') && (has('NOT_EQUALS') || has('PREFIX_NOT_EQUALS')))) {
    throw invalid(`Filters.${field} combines comparisons Security Hub does not allow together: ${[...new Set(comparisons)].join(', ')}`);
  }
}

function stringMatches(comparison: string, actual: string, expected: string): boolean {
  switch (comparison) {
    case 'EQUALS':
      return actual === expected;
    case 'PREFIX':
      return actual.startsWith(expected);
    case 'CONTAINS':
      return actual.includes(expected);
    case 'NOT_EQUALS':
      return actual !== expected;
    case 'PREFIX_NOT_EQUALS':
      return !actual.startsWith(expected);
    default:
      return !actual.includes(expected);
  }
}

/** Map filters (EQUALS, NOT_EQUALS, CONTAINS, NOT_CONTAINS) on one key of a string map. */
function mapFieldPredicate(field: string, list: readonly unknown[], readMaps: (finding: Finding) => readonly JsonObject[]): FindingPredicate {
  const filters = list.map((filter) => {
    const parsed = comparisonFilter(field, filter, ['EQUALS', 'NOT_EQUALS', 'CONTAINS', 'NOT_CONTAINS']);
    const key = isJsonObject(filter) ? ownString(filter, 'Key') : undefined;
    if (key === undefined) throw invalid(`Filters.${field} entries need a Key`);
    return { ...parsed, key };
  });
  checkCombination(
    field,
    filters.map((filter) => filter.comparison),
  );
  const positives = filters.filter((filter) => POSITIVE.has(filter.comparison));
  const negatives = filters.filter((filter) => NEGATIVE.has(filter.comparison));
  return (finding) => {
    const maps = readMaps(finding);
    const valuesOf = (key: string) => maps.flatMap((map) => optional(ownString(map, key)));
    const anyPositive =
      positives.length === 0 || positives.some((filter) => valuesOf(filter.key).some((value) => stringMatches(filter.comparison, value, filter.value)));
    return anyPositive && negatives.every((filter) => valuesOf(filter.key).every((value) => stringMatches(filter.comparison, value, filter.value)));
  };
}

/** Date filters: Start and/or End (inclusive), or DateRange {Value, Unit: DAYS} back from now; several are ORed. */
function dateFieldPredicate(field: string, list: readonly unknown[], now: number): FindingPredicate {
  const ranges = list.map((filter) => {
    if (!isJsonObject(filter)) throw invalid(`Filters.${field} entries must be objects`);
    const range = ownField(filter, 'DateRange');
    if (range !== undefined) {
      const value = isJsonObject(range) ? ownField(range, 'Value') : undefined;
      if (!isJsonObject(range) || ownField(range, 'Unit') !== 'DAYS' || typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
        throw invalid(`Filters.${field}.DateRange needs an integer Value and Unit DAYS`);
      }
      return { start: now - value * DAY_MS, end: Number.POSITIVE_INFINITY };
    }
    const start = dateBound(field, ownField(filter, 'Start'), Number.NEGATIVE_INFINITY);
    const end = dateBound(field, ownField(filter, 'End'), Number.POSITIVE_INFINITY);
    if (start === Number.NEGATIVE_INFINITY && end === Number.POSITIVE_INFINITY) throw invalid(`Filters.${field} entries need Start, End or DateRange`);
    return { start, end };
  });
  return (finding) => {
    const value = Date.parse(ownString(finding, field) ?? '');
    return Number.isFinite(value) && ranges.some((range) => value >= range.start && value <= range.end);
  };
}

function dateBound(field: string, value: unknown, absent: number): number {
  if (value === undefined) return absent;
  const time = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(time)) throw invalid(`Filters.${field} Start/End must be ISO 8601 timestamps`);
  return time;
}

function comparisonFilter(field: string, filter: unknown, comparisons: readonly string[]): { comparison: string; value: string } {
  const value = isJsonObject(filter) ? ownString(filter, 'Value') : undefined;
  const comparison = isJsonObject(filter) ? ownString(filter, 'Comparison') : undefined;
  if (value === undefined || comparison === undefined || !comparisons.includes(comparison)) {
    throw invalid(`Filters.${field} entries need a Value and a Comparison of ${comparisons.join(', ')}`);
  }
  return { comparison, value };
}

/** One sort key of a finding: a string, a date as epoch ms, or null when absent. */
export type SortKey = string | number | null;

export interface FindingOrder {
  /** The sort keys of a finding, ending with ProductArn and Id so the order is total. */
  keys(finding: Finding): SortKey[];
  compare(a: readonly SortKey[], b: readonly SortKey[]): number;
}

/** The order of SortCriteria; without any, most recently updated first. */
export function compileSortCriteria(criteria: unknown): FindingOrder {
  const list = criteria === undefined ? [{ Field: 'UpdatedAt', SortOrder: 'desc' }] : criteria;
  if (!Array.isArray(list)) throw invalid('SortCriteria must be a list');
  const sorts = list.map((criterion) => {
    const field = isJsonObject(criterion) ? ownString(criterion, 'Field') : undefined;
    const order = isJsonObject(criterion) ? (ownString(criterion, 'SortOrder') ?? 'asc') : undefined;
    if (field === undefined || !SORT_FIELDS.has(field) || (order !== 'asc' && order !== 'desc')) {
      throw invalid(`SortCriteria entries need a Field of ${[...SORT_FIELDS].join(', ')} and a SortOrder of asc or desc`);
    }
    return { field, direction: order === 'asc' ? 1 : -1 };
  });
  const directions = [...sorts.map((sort) => sort.direction), 1, 1];
  return {
    keys: (finding) => [...sorts.map((sort) => sortKey(finding, sort.field)), ownString(finding, 'ProductArn') ?? null, ownString(finding, 'Id') ?? null],
    compare: (a, b) => {
      for (const [index, direction] of directions.entries()) {
        const order = compareKeys(a[index] ?? null, b[index] ?? null);
        if (order !== 0) return order * direction;
      }
      return 0;
    },
  };
}

function sortKey(finding: Finding, field: string): SortKey {
  if (DATE_FIELDS.has(field)) {
    const time = Date.parse(ownString(finding, field) ?? '');
    return Number.isFinite(time) ? time : null;
  }
  return STRING_FIELDS.get(field)?.(finding)[0] ?? null;
}

function compareKeys(a: SortKey, b: SortKey): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : 1;
}

function top(field: string): (finding: Finding) => readonly string[] {
  return (finding) => optional(ownString(finding, field));
}

function nested(field: string, member: string): (finding: Finding) => readonly string[] {
  return (finding) => {
    const value = ownField(finding, field);
    return isJsonObject(value) ? optional(ownString(value, member)) : [];
  };
}

function resources(finding: Finding): JsonObject[] {
  const list = ownField(finding, 'Resources');
  return Array.isArray(list) ? list.filter(isJsonObject) : [];
}

function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function objectsOf(value: unknown): JsonObject[] {
  return isJsonObject(value) ? [value] : [];
}

function optional(value: string | undefined): string[] {
  return value === undefined ? [] : [value];
}

function invalid(message: string): AwsApiError {
  return new AwsApiError('InvalidInputException', 400, message);
}
