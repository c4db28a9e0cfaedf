import { closestName } from '../shared/did-you-mean.js';
import { quoted } from '../shared/diagnostics.js';
import { EVENT_SOURCE_PATTERN, eventCatalog, knownEventNames, type EventCatalog } from './event-catalog.js';
import type { JsonPointer } from './json-pointer.js';
import type { PositionedDiagnostics } from './positioned-diagnostics.js';

/**
 * What the event catalog says of a value a rule compares eventSource or eventName with. A value close to
 * a catalogued one (a few edits, or another case) is a typo: an error, since CloudTrail compares exactly
 * and the rule would never fire. A well-formed value far from every catalogued one may be newer than the
 * catalog (a service or operation released since it was generated): a warning.
 */
export type CatalogVerdict = { readonly kind: 'known' } | { readonly kind: 'typo'; readonly suggestion: string } | { readonly kind: 'uncatalogued' };

const SOURCE_SUFFIX = '.amazonaws.com';

/** For a source that matches {@link EVENT_SOURCE_PATTERN}; the service parts are compared, `s4` with `s3`. */
export function eventSourceVerdict(source: string, catalog: EventCatalog = eventCatalog()): CatalogVerdict {
  if (catalog.namesOf(source) !== undefined) return { kind: 'known' };
  const services = catalog.sources.map((known) => known.slice(0, -SOURCE_SUFFIX.length));
  const suggestion = closestName(source.slice(0, -SOURCE_SUFFIX.length), services);
  return suggestion === undefined ? { kind: 'uncatalogued' } : { kind: 'typo', suggestion: `${suggestion}${SOURCE_SUFFIX}` };
}

/** `ignoreCase` for a comparison that ignores case (the `ignoreCase:` decorator). */
export function eventNameVerdict(name: string, known: ReadonlySet<string>, ignoreCase = false): CatalogVerdict {
  if (known.has(name)) return { kind: 'known' };
  const lower = name.toLowerCase();
  if (ignoreCase && [...known].some((knownName) => knownName.toLowerCase() === lower)) return { kind: 'known' };
  const suggestion = closestName(name, known);
  return suggestion === undefined ? { kind: 'uncatalogued' } : { kind: 'typo', suggestion };
}

/** One value a rule compares eventSource with, and where it is written. */
export interface EventValue {
  readonly value: string;
  readonly pointer: JsonPointer;
}

/**
 * Reports a source that is not `<service>.amazonaws.com` or not in the catalog. `hint` is added to the
 * malformed-source message (the scope's `eventSource: any` advice).
 */
export function checkEventSourceValue({ value, pointer }: EventValue, report: PositionedDiagnostics, hint = '', catalog: EventCatalog = eventCatalog()): void {
  if (!EVENT_SOURCE_PATTERN.test(value)) {
    report.error(
      pointer,
      'invalid-event-source',
      `${quoted(value)} is not an event source: CloudTrail writes them as <service>.amazonaws.com, e.g. lookoutvision.amazonaws.com${hint}`,
    );
    return;
  }
  const verdict = eventSourceVerdict(value, catalog);
  if (verdict.kind === 'typo') {
    report.error(pointer, 'unknown-event-source', `${quoted(value)} is not an AWS event source (did you mean '${verdict.suggestion}'?)`);
  } else if (verdict.kind === 'uncatalogued') {
    report.warning(
      pointer,
      'unknown-event-source',
      `${quoted(value)} is not in the event catalog (${catalog.generatedFrom} and CloudTrail-only events): no event has it unless the service is newer than the catalog; then regenerate the catalog (docs/rules.md, "The event catalog")`,
    );
  }
}

/** The event names a rule's event sources allow, and how messages name those sources. */
export interface EventNameScope {
  readonly known: ReadonlySet<string>;
  /** `any`: the rule takes every source, so a name is checked against every service. */
  readonly anySource: boolean;
}

/** The names a rule's sources allow; undefined when a source is not in the catalog (its names cannot be checked). */
export function eventNameScope(eventSources: readonly string[] | 'any', catalog: EventCatalog = eventCatalog()): EventNameScope | undefined {
  const known = knownEventNames(eventSources, catalog);
  return known === undefined ? undefined : { known, anySource: eventSources === 'any' };
}

/** Reports a name none of the scope's sources has (an error when it is a typo of one they have). */
export function checkEventNameValue(
  { value, pointer }: EventValue,
  scope: EventNameScope,
  report: PositionedDiagnostics,
  ignoreCase = false,
  catalog: EventCatalog = eventCatalog(),
): void {
  const verdict = eventNameVerdict(value, scope.known, ignoreCase);
  const of = scope.anySource ? 'any AWS event source' : "the rule's event source";
  if (verdict.kind === 'typo') {
    report.error(pointer, 'unknown-event-name', `${quoted(value)} is not an event name of ${of} (did you mean '${verdict.suggestion}'?)`);
  } else if (verdict.kind === 'uncatalogued') {
    report.warning(
      pointer,
      'unknown-event-name',
      `${quoted(value)} is not an event name of ${of} in the event catalog (${catalog.generatedFrom} and CloudTrail-only events): no event has it unless the operation is newer than the catalog; then regenerate the catalog (docs/rules.md, "The event catalog")`,
    );
  }
}

/** How a text operator matches a part of a name (Sigma's `startswith`, `endswith`, `contains` modifiers too). */
export type NamePart = 'startsWith' | 'endsWith' | 'stringContains';

const PART_WORDS: Readonly<Record<NamePart, string>> = { startsWith: 'starts with', endsWith: 'ends with', stringContains: 'contains' };

/**
 * Warns about a prefix, suffix or substring that no name of the scope's sources has: a part cannot be
 * told apart from a newer operation's, so it is never an error.
 */
export function checkEventNamePart(
  { value, pointer }: EventValue,
  part: NamePart,
  scope: EventNameScope,
  report: PositionedDiagnostics,
  ignoreCase = false,
  catalog: EventCatalog = eventCatalog(),
): void {
  const wanted = ignoreCase ? value.toLowerCase() : value;
  const matches = (name: string): boolean => {
    const text = ignoreCase ? name.toLowerCase() : name;
    return part === 'startsWith' ? text.startsWith(wanted) : part === 'endsWith' ? text.endsWith(wanted) : text.includes(wanted);
  };
  if ([...scope.known].some(matches)) return;
  const of = scope.anySource ? 'any AWS event source' : "the rule's event source";
  report.warning(
    pointer,
    'unknown-event-name',
    `no event name of ${of} ${PART_WORDS[part]} ${quoted(value)} in the event catalog (${catalog.generatedFrom} and CloudTrail-only events), so this comparison never holds unless the operation is newer than the catalog`,
  );
}
