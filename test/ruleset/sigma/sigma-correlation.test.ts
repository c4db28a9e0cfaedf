import { basename } from 'node:path';
import test from 'ava';
import type { LoadedRuleDefinitions } from '../../../src/ruleset/index.js';
import { loadSigmaFiles, loadSigmaText } from './sigma-fixture.js';

/**
 * Sigma correlation rules (specification v2): an event_count or value_count over the events of the rules
 * it names, by name or id, in the same file (`---`) or another, loads as a threshold rule.
 */

const LIST_BUCKETS_ID = '5f1c2e4a-3b6d-4e8f-9a0b-1c2d3e4f5a6b';
const DELETE_BUCKET_ID = '6a2d3f5b-4c7e-4f9a-8b1c-2d3e4f5a6b7c';
const CORRELATION_ID = '7b3e4a6c-5d8f-4a0b-9c2d-3e4f5a6b7c8d';

/** A detection rule of this suite: one S3 event name. */
function baseRule(id: string, name: string, eventName: string): string {
  return [
    `title: ${eventName} called`,
    `id: ${id}`,
    `name: ${name}`,
    'author: lfvaudit tests',
    'logsource:',
    '    product: aws',
    '    service: cloudtrail',
    'detection:',
    '    selection:',
    '        eventSource: s3.amazonaws.com',
    `        eventName: ${eventName}`,
    '    condition: selection',
    'level: low',
  ].join('\n');
}

/** A correlation rule of this suite; `correlation` is the YAML under `correlation:`, indented by 4. */
function correlationRule(correlation: readonly string[], extra: readonly string[] = []): string {
  return [
    'title: Many bucket listings from one address',
    `id: ${CORRELATION_ID}`,
    'description: One address listed buckets many times within ten minutes.',
    'author: Correlation Author',
    'references:',
    '    - https://github.com/SigmaHQ/sigma-specification',
    'tags:',
    '    - attack.discovery',
    'correlation:',
    ...correlation.map((line) => `    ${line}`),
    'falsepositives:',
    '    - Inventory scanners',
    'level: high',
    ...extra,
  ].join('\n');
}

const EVENT_COUNT = ['type: event_count', 'rules:', '    - list_buckets', 'group-by:', '    - sourceIPAddress', 'timespan: 10m', 'condition:', '    gte: 5'];

function problems(loaded: LoadedRuleDefinitions): string[] {
  return loaded.diagnostics.map((d) => `${basename(d.file)}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}`);
}

test('an event_count correlation and its rule in one file load as one threshold rule with the correlation id, title, level and author', async (t) => {
  const loaded = await loadSigmaText(
    [correlationRule(EVENT_COUNT), '---', baseRule(LIST_BUCKETS_ID, 'list_buckets', 'ListBuckets')].join('\n'),
    'mr_bucket_listing.yml',
  );
  t.deepEqual(problems(loaded), []);
  t.is(loaded.definitions.length, 1);
  const [rule] = loaded.definitions;
  t.like(rule, {
    id: CORRELATION_ID,
    title: 'Many bucket listings from one address',
    description: 'One address listed buckets many times within ten minutes.',
    severity: 'HIGH',
    types: ['TTPs/Discovery'],
    threshold: { count: 5, within: '10m', withinMs: 600_000 },
    groupBy: ['sourceIPAddress'],
    scope: { eventSource: ['s3.amazonaws.com'] },
    sigma: {
      author: 'Correlation Author',
      link: 'https://github.com/SigmaHQ/sigma/blob/master/rules/cloud/aws/cloudtrail/mr_bucket_listing.yml',
      falsePositives: ['Inventory scanners'],
    },
  });
  t.is(rule?.threshold?.distinct, undefined);
  // The condition is the rule's own, as translated.
  t.regex(JSON.stringify(rule?.conditions), /"fact":"eventName","operator":"matchesWildcard","value":"ListBuckets"/);
});

test('`gt: N` is a threshold of N + 1 events; without group-by the count is per account and region', async (t) => {
  const correlation = ['type: event_count', 'rules:', '    - list_buckets', 'timespan: 1h', 'condition:', '    gt: 5'];
  const loaded = await loadSigmaText([correlationRule(correlation), '---', baseRule(LIST_BUCKETS_ID, 'list_buckets', 'ListBuckets')].join('\n'));
  t.deepEqual(problems(loaded), []);
  t.like(loaded.definitions[0], { threshold: { count: 6, within: '1h' }, groupBy: [] });
});

test('a value_count correlation counts the distinct values of its field', async (t) => {
  const correlation = [
    'type: value_count',
    'rules:',
    '    - list_buckets',
    'group-by:',
    '    - userIdentity.arn',
    'timespan: 1h',
    'condition:',
    '    field: sourceIPAddress',
    '    gte: 3',
  ];
  const loaded = await loadSigmaText([correlationRule(correlation), '---', baseRule(LIST_BUCKETS_ID, 'list_buckets', 'ListBuckets')].join('\n'));
  t.deepEqual(problems(loaded), []);
  t.like(loaded.definitions[0], { threshold: { count: 3, within: '1h', distinct: 'sourceIPAddress' }, groupBy: ['userIdentity.arn'] });
});

test('a correlation refers to a rule of another file by its id; several rules count together', async (t) => {
  const correlation = ['type: event_count', 'rules:', `    - ${LIST_BUCKETS_ID}`, '    - delete_bucket', 'timespan: 10m', 'condition:', '    gte: 5'];
  const loaded = await loadSigmaFiles({
    'list_buckets.yml': baseRule(LIST_BUCKETS_ID, 'list_buckets', 'ListBuckets'),
    'delete_bucket.yml': baseRule(DELETE_BUCKET_ID, 'delete_bucket', 'DeleteBucket'),
    'mr_buckets.yml': correlationRule(correlation),
  });
  t.deepEqual(problems(loaded), []);
  t.deepEqual(
    loaded.definitions.map((definition) => definition.id),
    [CORRELATION_ID],
  );
  const conditions = JSON.stringify(loaded.definitions[0]?.conditions);
  t.true(conditions.startsWith('{"any":['), conditions);
  t.regex(conditions, /"ListBuckets"/);
  t.regex(conditions, /"DeleteBucket"/);
});

test('with generate: true the rules referred to also keep findings of their own, at the top of the rule or inside correlation', async (t) => {
  const base = baseRule(LIST_BUCKETS_ID, 'list_buckets', 'ListBuckets');
  const top = await loadSigmaText([correlationRule(EVENT_COUNT, ['generate: true']), '---', base].join('\n'));
  t.deepEqual(problems(top), []);
  t.deepEqual(
    top.definitions.map((definition) => definition.id),
    [CORRELATION_ID, LIST_BUCKETS_ID],
  );
  const inside = await loadSigmaText([correlationRule([...EVENT_COUNT, 'generate: true']), '---', base].join('\n'));
  t.deepEqual(problems(inside), []);
  t.is(inside.definitions.length, 2);
  // A rule that no correlation names keeps its findings, generate or not.
  const unrelated = await loadSigmaText(
    [correlationRule(EVENT_COUNT), '---', base, '---', baseRule(DELETE_BUCKET_ID, 'delete_bucket', 'DeleteBucket')].join('\n'),
  );
  t.deepEqual(
    unrelated.definitions.map((definition) => definition.id),
    [CORRELATION_ID, DELETE_BUCKET_ID],
  );
});

// correlationRule puts `correlation:` on line 9, its entries from line 10, indented by 4.

test('a reference to no rule is an error at the reference, with a did-you-mean', async (t) => {
  const correlation = EVENT_COUNT.map((line) => line.replace('list_buckets', 'list_bucket'));
  const loaded = await loadSigmaText([correlationRule(correlation), '---', baseRule(LIST_BUCKETS_ID, 'list_buckets', 'ListBuckets')].join('\n'));
  t.deepEqual(problems(loaded), [
    "test_rule.yml:12:11: error sigma-correlation: no Sigma rule has the id or name 'list_bucket' (did you mean 'list_buckets'?); a correlation refers to Sigma rules loaded from rules.paths",
  ]);
  t.false(loaded.definitions.some((definition) => definition.id === CORRELATION_ID));
});

test('a reference to a correlation or to a rule with its own aggregation is an error at the reference', async (t) => {
  const chained = ['type: event_count', 'rules:', `    - ${CORRELATION_ID}`, 'timespan: 10m', 'condition:', '    gte: 2'];
  const loaded = await loadSigmaText(
    [
      correlationRule(EVENT_COUNT),
      '---',
      correlationRule(chained).replace(CORRELATION_ID, '8c4f5b7d-6e9a-4b1c-8d3e-4f5a6b7c8d9e').replace(`id: ${CORRELATION_ID}`, ''),
      '---',
      baseRule(LIST_BUCKETS_ID, 'list_buckets', 'ListBuckets').replace('    condition: selection', '    timeframe: 5m\n    condition: selection | count() > 3'),
    ].join('\n'),
  );
  t.deepEqual(
    problems(loaded).map((line) => line.replace(/\(\/[^)]*\)/, '(FILE)')),
    [
      "test_rule.yml:12:11: error sigma-correlation: rule 'list_buckets' (FILE) has its own aggregation (`| count()`); a correlation counts the events of plain detection rules",
      `test_rule.yml:33:11: error sigma-correlation: '${CORRELATION_ID}' is a correlation rule (FILE); lfvaudit does not chain correlations: refer to detection rules`,
    ],
  );
});

test('temporal correlations, aliases, and counts below a bound are errors at their positions', async (t) => {
  const temporal = ['type: temporal', 'rules:', '    - list_buckets', 'group-by:', '    - sourceIPAddress', 'timespan: 10m'];
  const found = problems(await loadSigmaText([correlationRule(temporal), '---', baseRule(LIST_BUCKETS_ID, 'list_buckets', 'ListBuckets')].join('\n')));
  t.deepEqual(found, [
    'test_rule.yml:10:11: error sigma-unsupported: `temporal` correlations (every rule matching within the span) are not supported: lfvaudit counts events (event_count) or distinct values (value_count)',
  ]);
  const withAliases = [...EVENT_COUNT, 'aliases:', '    ip:', '        list_buckets: sourceIPAddress'];
  t.deepEqual(problems(await loadSigmaText([correlationRule(withAliases), '---', baseRule(LIST_BUCKETS_ID, 'list_buckets', 'ListBuckets')].join('\n'))), [
    'test_rule.yml:18:5: error sigma-unsupported: `aliases` (one group-by name for different fields of different rules) is not supported: group by fields the rules share',
  ]);
  const range = EVENT_COUNT.concat(['    lte: 20']);
  t.deepEqual(problems(await loadSigmaText([correlationRule(range), '---', baseRule(LIST_BUCKETS_ID, 'list_buckets', 'ListBuckets')].join('\n'))), [
    'test_rule.yml:18:9: error sigma-unsupported: a count at most 20 is not a threshold: lfvaudit fires where at least N events (or distinct values) lie within the span; write `>` or `>=` (`gt`, `gte`)',
  ]);
});

test('a value_count without field, an event_count with one, and a missing timespan are errors', async (t) => {
  const base = baseRule(LIST_BUCKETS_ID, 'list_buckets', 'ListBuckets');
  const noField = ['type: value_count', 'rules:', '    - list_buckets', 'timespan: 10m', 'condition:', '    gte: 3'];
  t.deepEqual(problems(await loadSigmaText([correlationRule(noField), '---', base].join('\n'))), [
    'test_rule.yml:14:5: error sigma-correlation: a value_count correlation needs `field` in its condition: the field whose distinct values it counts',
  ]);
  const withField = [...EVENT_COUNT, '    field: sourceIPAddress'];
  t.deepEqual(problems(await loadSigmaText([correlationRule(withField), '---', base].join('\n'))), [
    'test_rule.yml:18:9: error sigma-correlation: `field` belongs to a value_count correlation; an event_count counts events',
  ]);
  const noSpan = EVENT_COUNT.filter((line) => !line.startsWith('timespan'));
  t.deepEqual(problems(await loadSigmaText([correlationRule(noSpan), '---', base].join('\n'))), [
    'test_rule.yml:9:1: error sigma-correlation: a correlation needs `timespan`, the span its events must lie in (`10m`)',
  ]);
});

test('every document of a Sigma file is a Sigma rule; a file with an error in one document loads none of them', async (t) => {
  const loaded = await loadSigmaText([baseRule(LIST_BUCKETS_ID, 'list_buckets', 'ListBuckets'), '---', 'id: not-sigma', 'title: An lfvaudit rule'].join('\n'));
  t.deepEqual(problems(loaded), [
    'test_rule.yml:15:1: error sigma-document: every document of a Sigma file is a Sigma rule (`logsource` and `detection`) or a correlation rule (`correlation`)',
  ]);
  t.deepEqual(loaded.definitions, []);
  // An empty document, as a `---` at the end makes, holds no rule and is no error.
  const trailing = await loadSigmaText([baseRule(LIST_BUCKETS_ID, 'list_buckets', 'ListBuckets'), '---', ''].join('\n'));
  t.deepEqual(problems(trailing), []);
  t.is(trailing.definitions.length, 1);
});
