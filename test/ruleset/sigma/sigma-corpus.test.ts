import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import test from 'ava';
import { CompiledEvaluator } from '../../../src/evaluate/compiled-evaluator.js';
import { ReferenceEvaluator } from '../../../src/evaluate/reference-evaluator.js';
import type { CloudTrailRecord } from '../../../src/records/cloudtrail-record.js';
import { unwrapDocument } from '../../../src/records/unwrap-document.js';
import { loadRuleDefinitions, resolveRules } from '../../../src/ruleset/index.js';
import type { ResolvedRule } from '../../../src/ruleset/rule.js';
import { sharedFolder } from '../../support/shared-folder.js';
import { SIGMA_RULE_EVENTS } from './sigma-rule-events.js';

/**
 * SigmaHQ's CloudTrail rules, read unchanged from ../shared (never copied here; skipped when absent): every
 * rule loads, each matches the events written for it and not the others in both evaluators, the rules
 * SigmaHQ keeps as unsupported load as thresholds or are refused with positions, and the public corpora
 * run through them.
 */
const SIGMA = join(sharedFolder(), 'corpora', 'sigma_aws_cloudtrail');
const present = existsSync(join(SIGMA, 'rules'));
const withSigma = present ? test : test.skip;

async function loadSigmaRules(): Promise<{ rules: ResolvedRule[]; loaded: Awaited<ReturnType<typeof loadRuleDefinitions>> }> {
  const loaded = await loadRuleDefinitions({ builtIn: false, paths: [join(SIGMA, 'rules')] });
  return { rules: resolveRules(loaded.definitions, {}).rules, loaded };
}

withSigma('all 57 SigmaHQ CloudTrail rules load without errors, each with its Sigma id as the rule id', async (t) => {
  const { loaded } = await loadSigmaRules();
  t.deepEqual(
    loaded.diagnostics.filter((d) => d.severity === 'error'),
    [],
  );
  t.is(loaded.definitions.length, 57);
  for (const definition of loaded.definitions) {
    t.regex(definition.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    t.truthy(definition.sigma, definition.file);
  }
  // The warnings, each at its position: a field CloudTrail records do not have, and event names no
  // event has (ElastiCache has no ...Egress security-group calls; CloudTrail logs domain transfers
  // under route53domains; S3's Put*Configuration names are IAM actions, not events).
  t.deepEqual(
    loaded.diagnostics.map((d) => `${basename(d.file)}:${d.line}:${d.column}: ${d.code}`),
    [
      'aws_delete_saml_provider.yml:26:17: unknown-fact',
      'aws_elasticache_security_group_modified_or_deleted.yml:23:15: unknown-event-name',
      'aws_elasticache_security_group_modified_or_deleted.yml:24:15: unknown-event-name',
      'aws_route_53_domain_transferred_lock_disabled.yml:23:20: unknown-event-name',
      'aws_route_53_domain_transferred_to_another_account.yml:21:20: unknown-event-name',
      'aws_s3_data_management_tampering.yml:28:15: unknown-event-name',
      'aws_s3_data_management_tampering.yml:29:15: unknown-event-name',
      'aws_s3_data_management_tampering.yml:30:15: unknown-event-name',
      'aws_s3_data_management_tampering.yml:31:15: unknown-event-name',
    ],
  );
});

withSigma('the table of test events covers exactly the rules of the folder', (t) => {
  const files = readdirSync(join(SIGMA, 'rules'))
    .filter((name) => name.endsWith('.yml'))
    .sort();
  t.deepEqual(Object.keys(SIGMA_RULE_EVENTS).sort(), files);
});

async function verdicts(rule: ResolvedRule, event: CloudTrailRecord): Promise<{ compiled: boolean; reference: boolean }> {
  const compiled = new CompiledEvaluator([rule]).matchingRulesSync(event).length === 1;
  const reference = (await new ReferenceEvaluator([rule]).matchingRules(event)).length === 1;
  return { compiled, reference };
}

for (const [file, events] of Object.entries(SIGMA_RULE_EVENTS)) {
  withSigma(`${file} matches its match events and none of its no-match events, in both evaluators`, async (t) => {
    const definitions = await loadRuleDefinitions({ builtIn: false, paths: [join(SIGMA, 'rules', file)] });
    const [rule] = resolveRules(definitions.definitions, {}).rules;
    if (rule === undefined) return t.fail(JSON.stringify(definitions.diagnostics));
    t.true(events.match.length > 0 && events.noMatch.length > 0);
    for (const [index, event] of events.match.entries()) t.deepEqual(await verdicts(rule, event), { compiled: true, reference: true }, `match event ${index}`);
    for (const [index, event] of events.noMatch.entries()) {
      t.deepEqual(await verdicts(rule, event), { compiled: false, reference: false }, `no-match event ${index}`);
    }
  });
}

withSigma('six rules under unsupported/ load as threshold rules; near and a timeframe without aggregation are refused at their positions', async (t) => {
  const loaded = await loadRuleDefinitions({ builtIn: false, paths: [join(SIGMA, 'unsupported')] });
  const thresholds = Object.fromEntries(
    loaded.definitions.map((definition) => [basename(definition.file), { ...definition.threshold, groupBy: definition.groupBy }]),
  );
  t.deepEqual(thresholds, {
    'aws_ec2_download_userdata.yml': { count: 11, within: '30m', withinMs: 1_800_000, groupBy: [] },
    'aws_enum_backup.yml': { count: 6, within: '10m', withinMs: 600_000, groupBy: [] },
    'aws_enum_listing.yml': { count: 51, within: '10m', withinMs: 600_000, groupBy: [] },
    'aws_enum_network.yml': { count: 6, within: '10m', withinMs: 600_000, groupBy: [] },
    'aws_enum_storage.yml': { count: 6, within: '10m', withinMs: 600_000, groupBy: [] },
    'aws_macic_evasion.yml': { count: 6, within: '10m', withinMs: 600_000, groupBy: ['sourceIPAddress'] },
  });
  t.deepEqual(
    loaded.diagnostics.filter((d) => d.severity === 'error').map((d) => `${basename(d.file)}:${d.line}:${d.column}: ${d.code}`),
    [
      // `    condition: selection1 | near selection2`: `near` is at column 29 of line 23.
      'aws_lambda_function_created_or_invoked.yml:23:29: sigma-unsupported',
      // `    timeframe: 5m` next to `condition: selection1 and selection2`, which one event never satisfies.
      'aws_ses_messaging_enabled.yml:23:5: sigma-unsupported',
    ],
  );
  const ses = loaded.diagnostics.find((d) => basename(d.file) === 'aws_ses_messaging_enabled.yml');
  t.regex(ses?.message ?? '', /`selection1 and selection2` is tested on each event alone, so all its selections must match one event/);
});

/** Every CloudTrail record of the public corpora (Panther's fixtures, not records in CloudTrail's shape, left out). */
function corpusRecords(): { corpus: string; records: CloudTrailRecord[] }[] {
  const folder = join(sharedFolder(), 'corpora');
  return readdirSync(folder)
    .filter((name) => name.endsWith('.jsonl') && !name.startsWith('panther_'))
    .sort()
    .map((corpus) => {
      const records: CloudTrailRecord[] = [];
      readFileSync(join(folder, corpus), 'utf8')
        .split('\n')
        .forEach((line, index) => {
          if (line.trim() !== '') records.push(...unwrapDocument(Buffer.from(line, 'utf8'), `${corpus}:${index + 1}`).records);
        });
      return { corpus, records };
    });
}

withSigma('the public corpora run through the 57 rules give the same per-rule match counts in both evaluators', async (t) => {
  const { rules } = await loadSigmaRules();
  const compiled = new CompiledEvaluator(rules);
  const reference = new ReferenceEvaluator(rules);
  const counts = new Map<string, { compiled: number; reference: number }>(rules.map((rule) => [rule.id, { compiled: 0, reference: 0 }]));
  let records = 0;
  for (const { records: corpus } of corpusRecords()) {
    for (const record of corpus) {
      records += 1;
      for (const rule of compiled.matchingRulesSync(record)) (counts.get(rule.id) as { compiled: number }).compiled += 1;
      for (const rule of await reference.matchingRules(record)) (counts.get(rule.id) as { reference: number }).reference += 1;
    }
  }
  t.true(records > 1000, `only ${records} records read`);
  const fileOf = new Map(rules.map((rule) => [rule.id, basename(rule.file)]));
  const lines = [...counts]
    .sort(([, a], [, b]) => b.compiled - a.compiled)
    .map(([id, count]) => `${String(count.compiled).padStart(6)}  ${fileOf.get(id) ?? id}`);
  t.log(`${records} records; matches per rule:\n${lines.join('\n')}`);
  for (const [id, count] of counts) t.is(count.compiled, count.reference, fileOf.get(id));
  t.true(
    [...counts.values()].some((count) => count.compiled > 0),
    'no rule matched any record of the corpora',
  );
});
