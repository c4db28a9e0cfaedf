import { quoted } from '../../shared/diagnostics.js';
import { eventNameScope, eventNameVerdict, eventSourceVerdict } from '../event-catalog-checks.js';
import { EVENT_SOURCE_PATTERN, eventCatalog } from '../event-catalog.js';
import type { PositionedDiagnostics } from '../positioned-diagnostics.js';
import type { SigmaFieldValue } from '../rule.js';
import { wildcardTokens, type WildcardToken } from '../wildcard-pattern.js';

/**
 * Checks a Sigma rule's eventSource and eventName values against the event catalog, ignoring case as
 * Sigma compares. A Sigma rule is loaded as its authors wrote it, and a value that cannot exist is
 * usually one alternative of several (a list is OR) while the rule still fires on the others: so each
 * finding is a warning with its did-you-mean, never an error that would refuse the whole rule.
 * Names compared whole, by a prefix (`startswith`, `Delete*`), suffix or substring are checked; names
 * transformed first (`windash`, `base64`) or with other wildcards are not.
 */
export function checkSigmaEventValues(values: readonly SigmaFieldValue[], eventSources: readonly string[] | 'any', report: PositionedDiagnostics): void {
  const catalog = eventCatalog();
  const lag = `(${catalog.generatedFrom} and CloudTrail-only events), so it matches nothing unless the service is newer than the catalog`;
  for (const { field, value, modifiers, position } of values) {
    if (field !== 'eventSource' || modifiers.length > 0) continue;
    const source = value.toLowerCase();
    if (!isLiteral(source)) continue;
    if (!EVENT_SOURCE_PATTERN.test(source)) {
      report.warningAt(position, 'unknown-event-source', `${quoted(value)} is not an event source: CloudTrail writes them as <service>.amazonaws.com`);
      continue;
    }
    const verdict = eventSourceVerdict(source, catalog);
    if (verdict.kind === 'typo')
      report.warningAt(position, 'unknown-event-source', `${quoted(value)} is not an AWS event source (did you mean '${verdict.suggestion}'?)`);
    else if (verdict.kind === 'uncatalogued') report.warningAt(position, 'unknown-event-source', `${quoted(value)} is not in the event catalog ${lag}`);
  }

  const scope = eventNameScope(eventSources, catalog);
  if (scope === undefined) return;
  const of = scope.anySource ? 'any AWS event source' : "the rule's event source";
  const lowerNames = [...scope.known].map((name) => name.toLowerCase());
  for (const { field, value, modifiers, position } of values) {
    if (field !== 'eventName') continue;
    const part = namePart(value, modifiers);
    if (part === undefined) continue;
    if (part.kind === 'whole') {
      const verdict = eventNameVerdict(part.text, scope.known, true);
      if (verdict.kind === 'typo')
        report.warningAt(position, 'unknown-event-name', `${quoted(value)} is not an event name of ${of} (did you mean '${verdict.suggestion}'?)`);
      else if (verdict.kind === 'uncatalogued')
        report.warningAt(position, 'unknown-event-name', `${quoted(value)} is not an event name of ${of} in the event catalog ${lag}`);
      continue;
    }
    const wanted = part.text.toLowerCase();
    const matches = (name: string): boolean =>
      part.kind === 'prefix' ? name.startsWith(wanted) : part.kind === 'suffix' ? name.endsWith(wanted) : name.includes(wanted);
    if (!lowerNames.some(matches))
      report.warningAt(position, 'unknown-event-name', `no event name of ${of} has ${PART_WORDS[part.kind]} ${quoted(part.text)} in the event catalog ${lag}`);
  }
}

const PART_WORDS = { prefix: 'the prefix', suffix: 'the suffix', substring: 'the substring' } as const;

/** How a value compares with whole names: `contains`, `startswith` and `endswith`, or a `*` at either end, make it a part. */
function namePart(value: string, modifiers: readonly string[]): { kind: 'whole' | 'prefix' | 'suffix' | 'substring'; text: string } | undefined {
  if (modifiers.some((modifier) => !['contains', 'startswith', 'endswith'].includes(modifier))) return undefined;
  const tokens = wildcardTokens(value);
  const leading = isStar(tokens[0]);
  const trailing = tokens.length > 1 && isStar(tokens.at(-1));
  const [only, ...more] = tokens.slice(leading ? 1 : 0, trailing ? -1 : undefined);
  if (only === undefined || more.length > 0 || !('literal' in only)) return undefined;
  const openStart = leading || modifiers.includes('contains') || modifiers.includes('endswith');
  const openEnd = trailing || modifiers.includes('contains') || modifiers.includes('startswith');
  const kind = openStart && openEnd ? 'substring' : openEnd ? 'prefix' : openStart ? 'suffix' : 'whole';
  return { kind, text: only.literal };
}

function isStar(token: WildcardToken | undefined): boolean {
  return token !== undefined && 'wildcard' in token && token.wildcard === '*';
}

function isLiteral(value: string): boolean {
  const tokens = wildcardTokens(value);
  return tokens.length === 1 && tokens[0] !== undefined && 'literal' in tokens[0];
}
