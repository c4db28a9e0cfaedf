import { readFile } from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { runAudit } from '../../src/audit/run-audit.js';
import { evaluatorFor } from '../../src/evaluate/evaluator-engine.js';
import type { CloudTrailRecord } from '../../src/records/cloudtrail-record.js';
import { takeEachRecord } from '../../src/records/take-each-record.js';
import { loadRuleDefinitions } from '../../src/ruleset/load-rule-definitions.js';
import { resolveRules } from '../../src/ruleset/resolve-rules.js';
import type { EventSource, SourceItem } from '../../src/sources/event-source.js';
import { FileSource } from '../../src/sources/file/file-source.js';
import { repoRoot } from '../support/repo-root.js';

const records = (count: number): CloudTrailRecord[] => Array.from({ length: count }, (_, at) => ({ eventID: `event-${at}` }));

test('takeEachRecord yields every record in order and clears each entry as it goes', (t) => {
  const array = records(5);
  const originals = [...array];
  const seen: { record: CloudTrailRecord; stillThere: number }[] = [];
  for (const record of takeEachRecord(array)) seen.push({ record, stillThere: array.filter((entry) => entry !== undefined).length });
  t.deepEqual(
    seen.map((entry) => entry.record),
    originals,
  );
  // When a record is handed out, it and those before it are already gone from the array.
  t.deepEqual(
    seen.map((entry) => entry.stillThere),
    [4, 3, 2, 1, 0],
  );
  t.is(array.length, 5);
});

test('a record taken twice is a bug, reported rather than skipped (callers keep arrays parallel by index)', (t) => {
  const array = records(3);
  t.is([...takeEachRecord(array)].length, 3);
  t.throws(() => [...takeEachRecord(array)], { message: /record 0 of a file was taken twice/ });
});

test('the audit takes the records a source hands over: none is left in the arrays, and the findings are those of the same records read anew', async (t) => {
  const file = path.join(repoRoot(), 'examples/records/seed-create-dataset.json');
  // The seed is one bare record: the source hands it over as a one-record file would.
  const parsed = async (): Promise<CloudTrailRecord[]> => [JSON.parse(await readFile(file, 'utf8')) as CloudTrailRecord];
  const handed: CloudTrailRecord[][] = [];
  const source: EventSource = {
    description: 'handing',
    read: async function* (): AsyncIterable<SourceItem> {
      const array = await parsed();
      handed.push(array);
      yield { kind: 'records', origin: file, records: array };
    },
  };
  const handedFindings = await findingsOf(source);
  t.is(handed.length, 1);
  t.true((handed[0]?.length ?? 0) > 0);
  t.true(handed[0]?.every((entry) => entry === undefined));
  const readAnew = await findingsOf(new FileSource(file));
  t.true(readAnew.length > 0);
  t.deepEqual(handedFindings, readAnew);
});

/** The Ids, rules and event counts of an audit's findings over `source`. */
async function findingsOf(source: EventSource): Promise<string[]> {
  const loaded = await loadRuleDefinitions({ builtIn: true, paths: [] });
  const { rules } = resolveRules(loaded.definitions, {});
  const written: AwsSecurityFinding[] = [];
  await runAudit({
    sources: [source],
    rules,
    evaluator: evaluatorFor('compiled', rules),
    sinks: [{ description: 'kept', write: (findings: Iterable<AwsSecurityFinding>) => Promise.resolve(void written.push(...findings)) }],
    now: () => new Date('2025-11-01T00:00:00Z'),
  });
  return written.map((finding) => `${finding.Id} ${finding.ProductFields?.['lfvaudit/RuleId']} ${finding.ProductFields?.['lfvaudit/EventCount']}`);
}
