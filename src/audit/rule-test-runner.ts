import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { FindingGroupBuilder } from '../grouping/finding-group.js';
import { ReferenceEvaluator } from '../evaluate/reference-evaluator.js';
import { buildFinding } from '../findings/asff-finding.js';
import { resolveRules } from '../ruleset/resolve-rules.js';
import type { ExpectedFinding, ResolvedRule, RuleDefinition, RuleTest } from '../ruleset/rule.js';

/** The outcome of one embedded test: passed, or every way it differs from what the test expects. */
export interface RuleTestResult {
  readonly rule: Pick<RuleDefinition, 'id' | 'file'>;
  readonly test: RuleTest;
  readonly passed: boolean;
  /** `expected match, got no-match`, `finding severity: expected HIGH, got MEDIUM`, ...; empty when passed. */
  readonly failures: readonly string[];
}

export interface RuleTestOptions {
  /** CreatedAt of the findings built for `finding:` expectations; they do not depend on it. */
  readonly now?: Date;
}

/**
 * Runs every rule's embedded tests the way a run would see the event: the rule resolved with the
 * test's parameters over its defaults, scope and conditions evaluated by the json-rules-engine
 * reference evaluator, and for `finding:` expectations the finding built from a one-event group.
 */
export async function runRuleTests(definitions: readonly RuleDefinition[], options: RuleTestOptions = {}): Promise<RuleTestResult[]> {
  const results: RuleTestResult[] = [];
  for (const definition of definitions) {
    for (const test of definition.tests) results.push(await runRuleTest(definition, test, options));
  }
  return results;
}

export async function runRuleTest(definition: RuleDefinition, test: RuleTest, options: RuleTestOptions = {}): Promise<RuleTestResult> {
  const outcome = (failures: readonly string[]): RuleTestResult => ({
    rule: { id: definition.id, file: definition.file },
    test,
    passed: failures.length === 0,
    failures,
  });
  const resolved = resolveRules([definition], test.params ?? {});
  const rule = resolved.rules[0];
  if (rule === undefined) throw new Error(`resolveRules returned no rule for ${definition.id}`);
  const paramProblems = resolved.diagnostics.filter((d) => d.severity === 'error').map((d) => `test params: ${d.message}`);
  if (paramProblems.length > 0) return outcome(paramProblems);
  if (!rule.active)
    return outcome([`the rule is inactive with this test's parameters: ${rule.inactiveReason ?? 'inactive'}; set them under params: of the test`]);

  const matched = (await new ReferenceEvaluator([rule]).matchingRules(test.event)).length > 0;
  const got = matched ? 'match' : 'no-match';
  if (got !== test.expect) return outcome([`expected ${test.expect}, got ${got}`]);
  if (!matched || test.finding === undefined) return outcome([]);
  return outcome(findingMismatches(test.finding, findingFor(rule, test, options.now ?? new Date(0))));
}

function findingFor(rule: ResolvedRule, test: RuleTest, now: Date): AwsSecurityFinding {
  const groups = new FindingGroupBuilder();
  // One event is never a threshold's span: the test checks the finding the event contributes to.
  groups.add({ id: rule.id, groupBy: rule.groupBy }, test.event);
  const group = groups.groups()[0];
  if (group === undefined) throw new Error(`no finding group for the event of test '${test.name}'`);
  return buildFinding(group, rule, { now });
}

function findingMismatches(expected: ExpectedFinding, finding: AwsSecurityFinding): string[] {
  const failures: string[] = [];
  const title = finding.Title ?? '';
  if (expected.title !== undefined && !title.includes(expected.title)) {
    failures.push(`finding title: expected it to contain ${JSON.stringify(expected.title)}, got ${JSON.stringify(title)}`);
  }
  const severity = finding.FindingProviderFields?.Severity?.Label ?? finding.Severity?.Label;
  if (expected.severity !== undefined && severity !== expected.severity) {
    failures.push(`finding severity: expected ${expected.severity}, got ${String(severity)}`);
  }
  const resourceIds = (finding.Resources ?? []).map((resource) => resource.Id ?? '');
  const missing = (expected.resources ?? []).filter((id) => !resourceIds.includes(id));
  if (missing.length > 0) {
    failures.push(`finding resources: expected ${missing.join(', ')} among them, got ${resourceIds.length === 0 ? 'none' : resourceIds.join(', ')}`);
  }
  return failures;
}
