import test from 'ava';
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { importBatches } from '../../src/securityhub/batches.js';

function finding(id: number, descriptionLength = 10): AwsSecurityFinding {
  return { Id: `f${id}`, Description: 'x'.repeat(descriptionLength) } as AwsSecurityFinding;
}

function sizes(batches: AwsSecurityFinding[][]): number[] {
  return batches.map((batch) => batch.length);
}

test('250 findings go in batches of 100, 100 and 50, in order', (t) => {
  const findings = Array.from({ length: 250 }, (_, index) => finding(index));

  const batches = importBatches(findings);

  t.deepEqual(sizes(batches), [100, 100, 50]);
  t.deepEqual(batches.flat(), findings);
});

test('a batch closes before its request body would pass the byte limit', (t) => {
  const findings = Array.from({ length: 10 }, (_, index) => finding(index, 1000));
  const oneFinding = Buffer.byteLength(JSON.stringify(findings[0]));
  const limit = '{"Findings":[]}'.length + 3 * oneFinding + 2;

  const batches = importBatches(findings, { findings: 100, bytes: limit });

  t.deepEqual(sizes(batches), [3, 3, 3, 1]);
  for (const batch of batches) t.true(Buffer.byteLength(JSON.stringify({ Findings: batch })) <= limit);
});

test('real findings of 200 KB each are sent 30 to a call, under 6 MB', (t) => {
  const findings = Array.from({ length: 70 }, (_, index) => finding(index, 200 * 1024));

  const batches = importBatches(findings);

  t.deepEqual(sizes(batches), [30, 30, 10]);
  for (const batch of batches) t.true(Buffer.byteLength(JSON.stringify({ Findings: batch })) <= 6 * 1024 * 1024);
});

test('no findings, no batches', (t) => {
  t.deepEqual(importBatches([]), []);
});
