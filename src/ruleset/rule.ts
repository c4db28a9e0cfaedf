import type { CloudTrailRecord } from '../records/cloudtrail-record.js';

export const SEVERITY_LABELS = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type SeverityLabel = (typeof SEVERITY_LABELS)[number];

/** Where something was written in a rule file (1-based), so later stages can point back at it. */
export interface SourcePosition {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** `{ param: name }` in a rule's YAML: the value comes from `params` in the config or the rule's default. */
export interface ParamReference {
  readonly param: string;
}

/**
 * One comparison, in json-rules-engine's shape. `fact` is a dotted path into the CloudTrail record
 * (`userIdentity.sessionContext.attributes.mfaAuthenticated`); `operator` may carry json-rules-engine
 * decorators (`not:in`, `someValue:startsWith`).
 */
export interface LeafCondition<V = unknown> {
  readonly fact: string;
  readonly operator: string;
  readonly value: V;
  readonly position?: SourcePosition;
}

/** How many elements of a list an {@link ElementCondition} needs: at least one, or all of them. */
export const ELEMENT_QUANTIFIERS = ['anyElement', 'everyElement'] as const;
export type ElementQuantifier = (typeof ELEMENT_QUANTIFIERS)[number];

/**
 * `{fact: LIST, anyElement: CONDITION}` / `everyElement`: the condition is evaluated on each element of
 * the list at `fact`, its own fact paths read from the element (`type`, not `resources.0.type`). An absent
 * or null field has no elements: both are false. An empty list: anyElement false, everyElement true (as
 * Array.prototype.some/every). Any other value counts as a list of that one element.
 */
export interface ElementCondition<V = unknown> {
  readonly fact: string;
  readonly quantifier: ElementQuantifier;
  readonly element: Condition<V>;
  readonly position?: SourcePosition;
}

export type Condition<V = unknown> =
  | { readonly all: readonly Condition<V>[]; readonly position?: SourcePosition }
  | { readonly any: readonly Condition<V>[]; readonly position?: SourcePosition }
  | { readonly not: Condition<V>; readonly position?: SourcePosition }
  | ElementCondition<V>
  | LeafCondition<V>;

/** A rule's declared parameter: its type, and the default used when the config does not set it. */
export interface ParamDeclaration {
  readonly type: 'string' | 'string[]' | 'number' | 'boolean' | 'cidr[]';
  readonly description: string;
  /** No default: the rule is inactive until the config sets the parameter (and a list must be non-empty). */
  readonly default?: unknown;
}

/** `scope.eventSource: any`: every event source, records without an eventSource included. */
export const ANY_EVENT_SOURCE = 'any';

/** Which records a rule looks at, before its conditions: by eventSource, then eventName. */
export interface RuleScope<EventNames = readonly string[]> {
  /** The sources, or `any` for every source (records without an eventSource too). */
  readonly eventSource: readonly string[] | typeof ANY_EVENT_SOURCE;
  /** Only with `eventSource: any`: the sources left out. */
  readonly notEventSource?: readonly string[] | undefined;
  /** Absent: every event of the sources. */
  readonly eventName?: EventNames;
}

/**
 * `threshold:` in a rule (docs/rules.md, "Thresholds"): the rule fires for a group only where at least
 * `count` of its matching events (or, with `distinct`, that many distinct values of a field) lie in one
 * span shorter than `within`: a sliding window, any span `[t, t + within)` of eventTime.
 */
export interface RuleThreshold {
  readonly count: number;
  /** The span as written (`10m`), for messages and findings. */
  readonly within: string;
  readonly withinMs: number;
  /** A dotted path into the record: count its distinct values instead of events. */
  readonly distinct?: string;
}

/** What a rule's embedded test expects of the finding the matching event would produce. */
export interface ExpectedFinding {
  readonly title?: string;
  readonly severity?: SeverityLabel;
  /** Resource Ids (ARNs) that must appear in the finding's Resources. */
  readonly resources?: readonly string[];
}

export interface RuleTest {
  readonly name: string;
  readonly event: CloudTrailRecord;
  readonly expect: 'match' | 'no-match';
  readonly finding?: ExpectedFinding;
  /** Parameters for this test only, overriding the rule's defaults (e.g. allowedSourceCidrs). */
  readonly params?: Readonly<Record<string, unknown>>;
  readonly position: SourcePosition;
}

/** A plain value a Sigma rule compares a field with, where it was written (for checks of event names and sources). */
export interface SigmaFieldValue {
  readonly field: string;
  readonly value: string;
  /** The modifiers written with the field (`contains`, `startswith`, `windash`, ...): how the value is compared. */
  readonly modifiers: readonly string[];
  readonly position: SourcePosition;
}

/**
 * What a rule loaded from a Sigma file keeps of it beyond the rule model: the Detection Rule License 1.1
 * asks that reported matches keep the rule's author, and lfvaudit also links the rule on SigmaHQ.
 */
export interface SigmaAttribution {
  /** The rule's `author`, as written; absent when the rule names none. */
  readonly author?: string;
  /** The rule on SigmaHQ: https://github.com/SigmaHQ/sigma/blob/master/rules/cloud/aws/cloudtrail/FILE. */
  readonly link: string;
  readonly references: readonly string[];
  readonly falsePositives: readonly string[];
  /** `attack.t1078`, `attack.initial-access`, ... as written. */
  readonly tags: readonly string[];
  readonly status?: string;
  /** The rule's `name`, by which a correlation rule may refer to it (as by its id). */
  readonly name?: string;
  /** Every plain string value the detection compares a field with (eventName, eventSource, ...), with its position. */
  readonly values: readonly SigmaFieldValue[];
}

/**
 * A rule as written in its YAML file, validated but with parameter references still in place.
 * The id is the file's name without `.yaml`.
 */
export interface RuleDefinition {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly severity: SeverityLabel;
  /** ASFF finding types, `namespace/category/classifier`. */
  readonly types: readonly string[];
  readonly remediation: { readonly text: string; readonly url?: string };
  /** Cheap pre-filter, also the index key: only records from these sources (and names, when given) are evaluated. */
  readonly scope: RuleScope<readonly string[] | ParamReference>;
  // The union documents that a value may be a parameter reference, though `unknown` already admits it.
  // eslint-disable-next-line @typescript-eslint/no-redundant-type-constituents
  readonly conditions: Condition<unknown | ParamReference>;
  /** Grouping keys for findings: `principal`, `project`, `account`, `region`, `sourceIPAddress`, or a dotted path. */
  readonly groupBy: readonly string[];
  readonly params: Readonly<Record<string, ParamDeclaration>>;
  /** Absent: every matching event is a finding's evidence. */
  readonly threshold?: RuleThreshold;
  readonly tests: readonly RuleTest[];
  readonly file: string;
  readonly builtIn: boolean;
  /** Present for a rule loaded from a Sigma file: its id, title and the rest come from there. */
  readonly sigma?: SigmaAttribution;
}

/** A rule ready to evaluate: parameters substituted from the config (or the rule's defaults). */
export interface ResolvedRule extends Omit<RuleDefinition, 'conditions' | 'scope'> {
  readonly scope: RuleScope;
  readonly conditions: Condition;
  readonly active: boolean;
  /** Why the rule does not run, e.g. `parameter allowedSourceCidrs is not set`. */
  readonly inactiveReason?: string;
}

export const DEFAULT_GROUP_BY: readonly string[] = ['principal', 'project'];

/** A Sigma rule's findings are one per caller: a Sigma rule knows nothing of Lookout for Vision projects. */
export const SIGMA_GROUP_BY: readonly string[] = ['principal'];
