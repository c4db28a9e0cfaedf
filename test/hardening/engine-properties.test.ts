import test from 'ava';
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CompiledEvaluator } from '../../src/evaluate/compiled-evaluator.js';
import { FindingGroupBuilder } from '../../src/grouping/finding-group.js';
import { ReferenceEvaluator } from '../../src/evaluate/reference-evaluator.js';
import { buildFinding } from '../../src/findings/asff-finding.js';
import { validateAsffFinding } from '../../src/findings/asff-limits.js';
import type { CloudTrailRecord } from '../../src/records/cloudtrail-record.js';
import { unwrapDocument } from '../../src/records/unwrap-document.js';
import { loadRuleDefinitions, resolveRules } from '../../src/ruleset/index.js';
import type { ResolvedRule } from '../../src/ruleset/rule.js';
import { repoRoot } from '../support/repo-root.js';

// Properties of the engine on CloudTrail records that real examples become after hostile edits: fields
// dropped, retyped, nested deep, own keys __proto__/constructor/prototype, huge strings. Reading a file,
// evaluating (both engines), grouping, building and validating findings never throws, findings stay valid
// ASFF, and a record's verdict never depends on the other records of its file.

const root = repoRoot();
const EXAMPLES = readdirSync(join(root, 'examples/records'))
  .filter((name) => name.endsWith('.json'))
  .map((name) => JSON.parse(readFileSync(join(root, 'examples/records', name), 'utf8')) as Record<string, unknown>);
const PARAMS = {
  mfaRequiredActions: ['CreateDataset', 'DeleteProject'],
  allowedSourceCidrs: ['10.0.0.0/8', '203.0.113.0/24', '2001:db8:1::/48'],
  approvedPackagingBuckets: ['approved-packaging-bucket'],
  allowedRegions: ['us-east-1', 'eu-west-1'],
};
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype'] as const;
/** Property runs are seeded: a failure names its seed and path, and the same runs happen on every machine. */
const RUNS = { seed: 20251125, numRuns: 120 } as const;

type Mutation =
  | { readonly kind: 'drop'; readonly at: number }
  | { readonly kind: 'retype'; readonly at: number; readonly value: unknown }
  | { readonly kind: 'nest'; readonly at: number; readonly depth: number; readonly asList: boolean }
  | { readonly kind: 'proto'; readonly at: number; readonly key: string; readonly value: unknown }
  | { readonly kind: 'huge'; readonly at: number; readonly length: number };

const json = fc.jsonValue({ maxDepth: 2 });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('retype' as const), at: fc.nat(), value: json }),
  fc.record({ kind: fc.constant('nest' as const), at: fc.nat(), depth: fc.integer({ min: 1, max: 2000 }), asList: fc.boolean() }),
  fc.record({ kind: fc.constant('proto' as const), at: fc.nat(), key: fc.constantFrom(...PROTO_KEYS), value: json }),
  fc.record({ kind: fc.constant('huge' as const), at: fc.nat(), length: fc.integer({ min: 3_000, max: 300_000 }) }),
);

/** An example record, deep-copied, with the mutations applied in turn; its eventID made unique or dropped. */
const hostileRecord: fc.Arbitrary<CloudTrailRecord> = fc
  .tuple(fc.nat({ max: EXAMPLES.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 5 }), fc.uuid())
  .map(([example, mutations, id]) => {
    const record = structuredClone(EXAMPLES[example] as Record<string, unknown>);
    record['eventID'] = id;
    for (const change of mutations) mutate(record, change);
    return record;
  });

/** Every field slot of the record (object and key), nested ones included, in a stable order. */
function slotsOf(record: Record<string, unknown>): [Record<string, unknown>, string][] {
  const slots: [Record<string, unknown>, string][] = [];
  const pending: Record<string, unknown>[] = [record];
  for (let object = pending.pop(); object !== undefined; object = pending.pop()) {
    for (const key of Object.keys(object)) {
      slots.push([object, key]);
      const value = object[key];
      if (typeof value === 'object' && value !== null && !Array.isArray(value) && slots.length < 500) pending.push(value as Record<string, unknown>);
    }
  }
  return slots;
}

function mutate(record: Record<string, unknown>, change: Mutation): void {
  const slots = slotsOf(record);
  if (slots.length === 0) return;
  const [object, key] = slots[change.at % slots.length] as [Record<string, unknown>, string];
  const set = (target: Record<string, unknown>, name: string, value: unknown): void => {
    // defineProperty: an assignment to __proto__ would set the prototype instead of a field, as JSON.parse does not.
    Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
  };
  switch (change.kind) {
    case 'drop':
      delete object[key];
      return;
    case 'retype':
      set(object, key, change.value);
      return;
    case 'nest': {
      let value = object[key];
      for (let level = 0; level < change.depth; level += 1) value = change.asList ? [value] : { [key]: value };
      set(object, key, value);
      return;
    }
    case 'proto':
      set(
        typeof object[key] === 'object' && object[key] !== null && !Array.isArray(object[key]) ? (object[key] as Record<string, unknown>) : object,
        change.key,
        change.value,
      );
      return;
    case 'huge':
      set(object, key, `${String(object[key]).slice(0, 20)}${'x'.repeat(change.length)}`);
  }
}

async function packRules(): Promise<readonly ResolvedRule[]> {
  const loaded = await loadRuleDefinitions({ builtIn: true, paths: [join(root, 'examples/rules')] });
  return resolveRules(loaded.definitions, PARAMS).rules;
}

test('reading, evaluating with both engines, grouping and building findings never throw on mutated records, and findings stay valid ASFF', async (t) => {
  const rules = await packRules();
  const rulesById = new Map(rules.map((rule) => [rule.id, rule]));
  let records = 0;
  let findings = 0;
  await fc
    .assert(
      fc.asyncProperty(fc.array(hostileRecord, { minLength: 1, maxLength: 6 }), async (batch) => {
        // The batch as a trail log file: read back as the same records, none lost.
        const document = unwrapDocument(Buffer.from(JSON.stringify({ Records: batch })), 'batch.json');
        if (document.problems.length > 0 || document.records.length !== batch.length)
          throw new Error(`read back ${document.records.length} of ${batch.length} records: ${JSON.stringify(document.problems)}`);
        const compiled = new CompiledEvaluator(rules);
        const reference = new ReferenceEvaluator(rules);
        const groups = new FindingGroupBuilder();
        for (const record of document.records) {
          const matched = compiled.matchingRulesSync(record);
          const referenceIds = (await reference.matchingRules(record)).map((rule) => rule.id);
          const compiledIds = matched.map((rule) => rule.id);
          if (JSON.stringify(compiledIds) !== JSON.stringify(referenceIds))
            throw new Error(`compiled matched ${compiledIds.join()}, reference ${referenceIds.join()}`);
          for (const rule of matched) groups.add(rule, record);
        }
        for (const group of groups.groups()) {
          const rule = rulesById.get(group.ruleId) as ResolvedRule;
          const finding = buildFinding(group, rule, { productAccountId: '123456789012', productRegion: 'us-east-1', now: new Date('2025-11-25T10:00:00Z') });
          const problems = validateAsffFinding(finding);
          if (problems.length > 0) throw new Error(`${group.ruleId}: ${JSON.stringify(problems)}`);
          findings += 1;
        }
        records += batch.length;
        return true;
      }),
      RUNS,
    )
    .catch((error: unknown) => {
      // The counterexample holds strings of 300,000 characters: the cause is what says what went wrong.
      throw error instanceof Error && error.cause instanceof Error ? error.cause : error;
    });
  t.log(`${RUNS.numRuns} batches, ${records} mutated records, ${findings} findings built and valid`);
  t.true(findings > 0);
});

test("a record's verdict is the same alone, first, last or anywhere in a batch of other mutated records", async (t) => {
  const rules = await packRules();
  let compared = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(hostileRecord, { minLength: 2, maxLength: 6 }), async (batch) => {
      const idsOf = (rulesMatched: readonly ResolvedRule[]): string => rulesMatched.map((rule) => rule.id).join(',');
      const alone = await Promise.all(
        batch.map(async (record) => [
          idsOf(new CompiledEvaluator(rules).matchingRulesSync(record)),
          idsOf(await new ReferenceEvaluator(rules).matchingRules(record)),
        ]),
      );
      for (const order of [batch, [...batch].reverse()]) {
        const compiled = new CompiledEvaluator(rules);
        const reference = new ReferenceEvaluator(rules);
        for (const record of order) {
          const index = batch.indexOf(record);
          const [compiledAlone, referenceAlone] = alone[index] as [string, string];
          if (idsOf(compiled.matchingRulesSync(record)) !== compiledAlone) return false;
          if (idsOf(await reference.matchingRules(record)) !== referenceAlone) return false;
          compared += 1;
        }
      }
      return true;
    }),
    RUNS,
  );
  t.log(`${compared} verdicts compared in batch against alone`);
  t.true(compared > RUNS.numRuns);
});
