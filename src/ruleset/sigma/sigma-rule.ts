import { basename } from 'node:path';
import { quoted } from '../../shared/diagnostics.js';
import { childPointer, type JsonPointer } from '../json-pointer.js';
import type { PositionedDiagnostics } from '../positioned-diagnostics.js';
import { isMapping, ownField, type RawMapping } from '../raw-value.js';
import { SIGMA_GROUP_BY, type RuleDefinition, type SeverityLabel, type SigmaAttribution, type SigmaFieldValue, type SourcePosition } from '../rule.js';
import type { YamlPositions } from '../yaml-document.js';
import { translateDetection, type SigmaDetection } from './sigma-detection.js';
import { checkSigmaEventValues } from './sigma-event-values.js';
import { scopeOfCondition } from './sigma-scope.js';

/**
 * Whether a parsed rule file is a Sigma rule: it has `logsource`, `detection` or `correlation`, keys an
 * lfvaudit YAML rule never has (it has `conditions` and `scope`).
 */
export function isSigmaDocument(document: unknown): document is RawMapping {
  return isMapping(document) && ['logsource', 'detection', 'correlation'].some((key) => Object.hasOwn(document, key));
}

const LEVELS: Readonly<Record<string, SeverityLabel>> = {
  informational: 'INFORMATIONAL',
  low: 'LOW',
  medium: 'MEDIUM',
  high: 'HIGH',
  critical: 'CRITICAL',
};

/** Where SigmaHQ keeps its CloudTrail rules: a rule's link is this folder and its file name. */
export const SIGMAHQ_CLOUDTRAIL_RULES = 'https://github.com/SigmaHQ/sigma/blob/master/rules/cloud/aws/cloudtrail/';

export interface SigmaSource {
  readonly file: string;
  readonly text: string;
  readonly positions: YamlPositions;
  readonly builtIn: boolean;
}

/**
 * Translates a Sigma rule for AWS CloudTrail (logsource product aws, service cloudtrail) into an lfvaudit
 * rule, unchanged: the Sigma `id` is the rule id, `level` the severity, the ATT&CK tactic tags the ASFF
 * types (`TTPs/Initial Access`); an aggregation (`| count() > N` with `timeframe`) its threshold. Reports
 * every mistake and every construct lfvaudit does not run, each at its position; returns a definition
 * only when there is none.
 */
export function sigmaRuleDefinition(document: RawMapping, source: SigmaSource, report: PositionedDiagnostics): RuleDefinition | undefined {
  const at = (pointer: JsonPointer): SourcePosition => ({ file: source.file, ...source.positions.valueAt(pointer) });
  checkLogsource(ownField(document, 'logsource'), report);
  const metadata = sigmaRuleMetadata(document, source, report);

  const detection = ownField(document, 'detection');
  const values: SigmaFieldValue[] = [];
  let translated: SigmaDetection | undefined;
  if (!isMapping(detection))
    report.keyError(Object.hasOwn(document, 'detection') ? '/detection' : '', 'sigma-detection', 'a Sigma rule needs a `detection` map');
  else translated = translateDetection(detection, { report, at, values }, (pointer, offset) => offsetPosition(source, pointer, offset));

  if (report.errorCount > 0 || translated === undefined || metadata === undefined) return undefined;
  const { condition, aggregation } = translated;
  const scope = scopeOfCondition(condition);
  checkSigmaEventValues(values, scope.eventSource, report);
  return {
    ...metadata.rule,
    scope,
    conditions: condition,
    groupBy: aggregation?.groupBy ?? SIGMA_GROUP_BY,
    ...(aggregation === undefined ? {} : { threshold: aggregation.threshold }),
    params: Object.create(null) as Record<string, never>,
    tests: [],
    file: source.file,
    builtIn: source.builtIn,
    sigma: { ...metadata.sigma, values },
  };
}

/** What a Sigma rule and a Sigma correlation rule have alike: who they are and what their findings say. */
export interface SigmaRuleMetadata {
  readonly rule: Pick<RuleDefinition, 'id' | 'title' | 'description' | 'severity' | 'types' | 'remediation'>;
  readonly sigma: Omit<SigmaAttribution, 'values'>;
}

/** A Sigma rule's `id`, `title`, `level`, `name` and the rest, each checked; undefined after an error. */
export function sigmaRuleMetadata(document: RawMapping, source: SigmaSource, report: PositionedDiagnostics): SigmaRuleMetadata | undefined {
  const errorsBefore = report.errorCount;
  const id = requiredText(document, 'id', report);
  const title = requiredText(document, 'title', report);
  const name = optionalText(document, 'name', report);
  const description = optionalText(document, 'description', report);
  const author = optionalText(document, 'author', report);
  const status = optionalText(document, 'status', report);
  const references = textList(document, 'references', report);
  const falsePositives = textList(document, 'falsepositives', report);
  const tags = textList(document, 'tags', report);
  const severity = severityOf(document, report);
  if (report.errorCount > errorsBefore || id === undefined || title === undefined) return undefined;
  return {
    rule: { id, title, description: description ?? title, severity, types: typesOf(tags), remediation: remediationOf(falsePositives, references) },
    sigma: {
      ...(author === undefined ? {} : { author }),
      link: SIGMAHQ_CLOUDTRAIL_RULES + encodeURIComponent(basename(source.file)),
      references,
      falsePositives,
      tags,
      ...(status === undefined ? {} : { status }),
      ...(name === undefined ? {} : { name }),
    },
  };
}

function checkLogsource(logsource: unknown, report: PositionedDiagnostics): void {
  if (!isMapping(logsource)) {
    report.keyError(
      logsource === undefined ? '' : '/logsource',
      'sigma-logsource',
      'a Sigma rule for lfvaudit needs `logsource: {product: aws, service: cloudtrail}`',
    );
    return;
  }
  const product = ownField(logsource, 'product');
  const service = ownField(logsource, 'service');
  if (product === 'aws' && service === 'cloudtrail') return;
  report.error(
    '/logsource',
    'sigma-logsource',
    `this Sigma rule reads logsource product ${quoted(String(product))}, service ${quoted(String(service))}; lfvaudit reads AWS CloudTrail only (product: aws, service: cloudtrail)`,
  );
}

function requiredText(document: RawMapping, key: string, report: PositionedDiagnostics): string | undefined {
  const value = ownField(document, key);
  if (typeof value === 'string' && value.trim() !== '') return value;
  if (value === undefined) report.keyError('', 'sigma-field', `a Sigma rule needs \`${key}\``);
  else report.error(`/${key}`, 'sigma-field', `\`${key}\` must be a non-empty string`);
  return undefined;
}

function optionalText(document: RawMapping, key: string, report: PositionedDiagnostics): string | undefined {
  const value = ownField(document, key);
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  report.error(`/${key}`, 'sigma-field', `\`${key}\` must be a string`);
  return undefined;
}

/** A list of strings; Sigma also allows one string where a list is expected (falsepositives: Unknown). */
function textList(document: RawMapping, key: string, report: PositionedDiagnostics): string[] {
  const value = ownField(document, key);
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) {
    const texts: string[] = [];
    value.forEach((item: unknown, index) => {
      if (typeof item === 'string') texts.push(item);
      else report.error(childPointer(`/${key}`, index), 'sigma-field', `\`${key}\` holds strings`);
    });
    return texts;
  }
  report.error(`/${key}`, 'sigma-field', `\`${key}\` must be a list of strings`);
  return [];
}

function severityOf(document: RawMapping, report: PositionedDiagnostics): SeverityLabel {
  const level = ownField(document, 'level');
  if (level === undefined) {
    report.warning('', 'sigma-level', 'the Sigma rule has no `level`: its findings are MEDIUM');
    return 'MEDIUM';
  }
  const severity = typeof level === 'string' ? LEVELS[level] : undefined;
  if (severity === undefined) report.error('/level', 'sigma-field', `\`level\` is one of ${Object.keys(LEVELS).join(', ')}`);
  return severity ?? 'MEDIUM';
}

/**
 * ASFF types from the ATT&CK tactic tags (`attack.initial-access` → `TTPs/Initial Access`); technique tags
 * (`attack.t1078`) and others stay in the rule's tags. A rule without tactic tags is of type `TTPs`.
 */
function typesOf(tags: readonly string[]): string[] {
  const tactics = tags
    .filter((tag) => /^attack\.[a-z]+(-[a-z]+)*$/i.test(tag))
    .map((tag) =>
      tag
        .slice('attack.'.length)
        .split('-')
        .map((word) => (word === 'and' ? word : word.charAt(0).toUpperCase() + word.slice(1)))
        .join(' '),
    );
  const types = [...new Set(tactics.map((tactic) => `TTPs/${tactic}`))];
  return types.length === 0 ? ['TTPs'] : types;
}

function remediationOf(falsePositives: readonly string[], references: readonly string[]): RuleDefinition['remediation'] {
  const known = falsePositives.filter((text) => !/^unknown$/i.test(text.trim()));
  const text =
    known.length === 0
      ? 'Review the matched activity with the caller; the Sigma rule names no known false positives.'
      : `Review the matched activity with the caller. Known false positives: ${known.join('; ')}`;
  const url = references.find((reference) => /^https?:\/\//.test(reference));
  return { text, ...(url === undefined ? {} : { url }) };
}

/**
 * The line and column of a character inside a scalar's text: exact for a condition written on one line,
 * plain or quoted; for a block or folded scalar, the scalar's start.
 */
export function offsetPosition(source: SigmaSource, pointer: JsonPointer, offset: number): SourcePosition {
  const start = source.positions.valueAt(pointer);
  const line = source.text.split('\n')[start.line - 1] ?? '';
  const first = line.charAt(start.column - 1);
  if (first === '|' || first === '>') return { file: source.file, ...start };
  const quote = first === "'" || first === '"' ? 1 : 0;
  return { file: source.file, line: start.line, column: start.column + quote + offset };
}
