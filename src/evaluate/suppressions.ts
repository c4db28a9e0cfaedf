import type { Suppression } from '../config/config.js';
import { excerpt, quoted, type Diagnostic } from '../shared/diagnostics.js';
import type { CloudTrailRecord } from '../records/cloudtrail-record.js';
import { checkConditionTree } from '../ruleset/condition-checks.js';
import { didYouMean } from '../shared/did-you-mean.js';
import { eventNameScope } from '../ruleset/event-catalog-checks.js';
import { explainCondition, prepareCondition, type PreparedCondition } from '../ruleset/explain-condition.js';
import { PositionedDiagnostics } from '../ruleset/positioned-diagnostics.js';
import { factReferencePath, isMapping, ownField } from '../ruleset/raw-value.js';
import type { Condition, RuleDefinition } from '../ruleset/rule.js';
import { RuleShapeCheck } from '../ruleset/rule-schema.js';
import { YamlPositions, type TextPosition } from '../ruleset/yaml-document.js';

/** A suppression from the config, checked and ready to test events against. */
export interface ActiveSuppression {
  /** Its place in the config's `suppressions:` list. */
  readonly index: number;
  readonly rule: string;
  readonly reason: string;
  /** As written in the config. */
  readonly expires: string;
  /** No conditions: every event of the rule is suppressed. */
  readonly conditions?: PreparedCondition;
}

export interface CompileSuppressionsOptions {
  /** Every loaded rule, disabled ones included: a suppression must name one of them. */
  readonly rules: readonly Pick<RuleDefinition, 'id' | 'scope'>[];
  /** The run's clock: a suppression whose expiry has passed no longer applies. */
  readonly now: Date;
  /** The config file, named in diagnostics. */
  readonly configFile?: string;
  /** Where the config's nodes were written, by JSON pointer from the config's root, to place mistakes. */
  readonly positions?: YamlPositions;
  /** The parsed schema/rule.schema.json: suppression conditions are checked with the rule's own shape. */
  readonly ruleSchema: object;
}

export interface CompiledSuppressions {
  readonly suppressions: Suppressions;
  /** Errors (unknown rule, invalid date, bad conditions) and a warning per expired suppression. */
  readonly diagnostics: Diagnostic[];
}

/**
 * The config's suppressions, checked like rule conditions (shape, operators, fact paths, values) and
 * split into those that apply and those that expired. A suppression with a mistake never applies.
 */
export function compileSuppressions(suppressions: readonly Suppression[], options: CompileSuppressionsOptions): CompiledSuppressions {
  const file = options.configFile ?? 'config';
  const positions = options.positions ?? new YamlPositions();
  const shape = new RuleShapeCheck(conditionsSchema(options.ruleSchema));
  const rulesById = new Map(options.rules.map((rule) => [rule.id, rule]));
  const diagnostics: Diagnostic[] = [];
  const active: ActiveSuppression[] = [];
  const expired: ActiveSuppression[] = [];

  suppressions.forEach((suppression, index) => {
    const at = `/suppressions/${index}`;
    const report = new PositionedDiagnostics(file, new PrefixedPositions(positions, at));
    const subject = `suppressions[${index}]`;
    const rule = rulesById.get(suppression.rule);
    if (rule === undefined) {
      report.error(
        '/rule',
        'unknown-rule',
        `${subject}.rule: no loaded rule has the id ${quoted(suppression.rule)}${didYouMean(suppression.rule, rulesById.keys())}`,
      );
    }
    const expiresAt = expiryOf(suppression.expires);
    if (expiresAt === undefined) {
      report.error(
        '/expires',
        'invalid-date',
        `${subject}.expires: ${quoted(suppression.expires)} is not a date; write YYYY-MM-DD (the suppression applies through that day, UTC)`,
      );
    }
    const problems = [...report.diagnostics];
    if (suppression.conditions !== undefined) {
      const checked = new PositionedDiagnostics(file, new PrefixedPositions(positions, at));
      // Both layers, as for a rule file: the semantic one reads defensively what the shape one rejected.
      shape.check({ conditions: suppression.conditions }, checked);
      const eventNames = rule === undefined ? undefined : eventNameScope(rule.scope.eventSource);
      checkConditionTree(suppression.conditions, '/conditions', { report: checked, params: new Map(), eventNames, usedParams: new Set() });
      problems.push(...checked.diagnostics.map((d) => ({ ...d, message: `${subject} (rule ${excerpt(suppression.rule)}): ${d.message}` })));
    }
    diagnostics.push(...problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0)));
    if (expiresAt === undefined || problems.some((d) => d.severity === 'error')) return;

    const compiled: ActiveSuppression = {
      index,
      rule: suppression.rule,
      reason: suppression.reason,
      expires: suppression.expires,
      ...(suppression.conditions === undefined ? {} : preparedConditions(conditionOf(suppression.conditions))),
    };
    if (options.now.getTime() < expiresAt) {
      active.push(compiled);
      return;
    }
    expired.push(compiled);
    diagnostics.push({
      file,
      ...positions.valueAt(`${at}/expires`),
      code: 'expired-suppression',
      message: `${subject}: the suppression of ${suppression.rule} (${suppression.reason}) expired on ${suppression.expires} and no longer applies; its events are reported again. Remove it, or extend expires after a review`,
      severity: 'warning',
    });
  });
  return { suppressions: new Suppressions(active, expired), diagnostics };
}

function preparedConditions(condition: Condition): Pick<ActiveSuppression, 'conditions'> {
  return { conditions: prepareCondition(condition) };
}

/** The suppressions of one run: which events they silence, and which expired. */
export class Suppressions {
  readonly #byRule = new Map<string, ActiveSuppression[]>();
  readonly active: readonly ActiveSuppression[];
  readonly expired: readonly ActiveSuppression[];

  constructor(active: readonly ActiveSuppression[], expired: readonly ActiveSuppression[]) {
    this.active = active;
    this.expired = expired;
    for (const suppression of active) {
      const list = this.#byRule.get(suppression.rule) ?? [];
      list.push(suppression);
      this.#byRule.set(suppression.rule, list);
    }
  }

  /** The first suppression (in config order) that silences this rule's match on this record, if any. */
  isSuppressed(rule: { readonly id: string }, record: CloudTrailRecord): ActiveSuppression | undefined {
    return this.#byRule.get(rule.id)?.find((suppression) => suppression.conditions === undefined || explainCondition(suppression.conditions, record).result);
  }
}

/**
 * End of the expiry: a date alone (`2026-12-31`) is the end of that day in UTC; a full ISO time is
 * that instant. Undefined for an impossible date (`2026-02-30`) or unreadable text.
 */
export function expiryOf(expires: string): number | undefined {
  const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/.exec(expires);
  if (dateOnly !== null) {
    const [year, month, day] = dateOnly.slice(1).map(Number) as [number, number, number];
    const start = Date.UTC(year, month - 1, day);
    const date = new Date(start);
    if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
    return start + 24 * 60 * 60 * 1000;
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(expires)) return undefined;
  const time = Date.parse(expires);
  return Number.isNaN(time) ? undefined : time;
}

/** schema/rule.schema.json narrowed to `{conditions}`: the same shape rules are held to, no other key. */
function conditionsSchema(ruleSchema: object): object {
  const schema = ruleSchema as { readonly definitions?: unknown; readonly properties?: { readonly conditions?: unknown } };
  return { type: 'object', properties: { conditions: schema.properties?.conditions }, definitions: schema.definitions };
}

/** Positions of one suppression: pointers from the suppression's root are looked up under its place in the file. */
class PrefixedPositions extends YamlPositions {
  readonly #inner: YamlPositions;
  readonly #prefix: string;

  constructor(inner: YamlPositions, prefix: string) {
    super();
    this.#inner = inner;
    this.#prefix = prefix;
  }

  override valueAt(pointer: string): TextPosition {
    return this.#inner.valueAt(`${this.#prefix}${pointer}`);
  }

  override keyAt(pointer: string): TextPosition {
    return this.#inner.keyAt(`${this.#prefix}${pointer}`);
  }
}

/** A condition tree that passed the checks, in the rule model's shape. */
function conditionOf(node: unknown): Condition {
  const mapping = isMapping(node) ? node : {};
  for (const key of ['all', 'any'] as const) {
    const children = ownField(mapping, key);
    if (Array.isArray(children)) return key === 'all' ? { all: children.map(conditionOf) } : { any: children.map(conditionOf) };
  }
  if (Object.hasOwn(mapping, 'not')) return { not: conditionOf(mapping['not']) };
  const value = ownField(mapping, 'value');
  const referenced = factReferencePath(value);
  return {
    fact: String(ownField(mapping, 'fact')),
    operator: String(ownField(mapping, 'operator')),
    value: referenced === undefined ? value : { fact: referenced },
  };
}
