import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import type { ExecutionContext } from 'ava';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { main } from '../../src/cli/main.js';
import { capturedIo } from '../support/captured-io.js';
import { repoRoot } from '../support/repo-root.js';
import { tempFolder } from '../support/temp-folder.js';

/** The bundled seed: an AssumedRole CreateDataset on P1 without MFA, from outside the allowed CIDRs. */
export async function seedRecord(fields: Readonly<Record<string, unknown>> = {}): Promise<Record<string, unknown>> {
  const seed = JSON.parse(await readFile(path.join(repoRoot(), 'examples/records/seed-create-dataset.json'), 'utf8')) as Record<string, unknown>;
  return { ...seed, ...fields };
}

/** The project config of the example logs, with the built-in pack and its parameters. */
const CONFIG = `rules:
  builtIn: true
params:
  mfaRequiredActions: [CreateDataset, DeleteProject]
  allowedSourceCidrs: [10.0.0.0/8]
  approvedPackagingBuckets: [approved-packaging-bucket]
  allowedRegions: [us-east-1, eu-west-1]
`;

export interface HostileRun {
  readonly status: number;
  readonly err: string;
  readonly findings: AwsSecurityFinding[];
  /** The one JSON log line the run writes on stderr for a scheduler. */
  readonly log: Record<string, unknown>;
  readonly logs: string;
}

/** A temp project with a folder of trail logs: `good.json` (the seed record) next to the files given. */
export async function hostileProject(t: ExecutionContext, files: Readonly<Record<string, string | Uint8Array>>): Promise<string> {
  const dir = tempFolder(t, 'hostile');
  await writeFile(path.join(dir, 'package.json'), '{}');
  await writeFile(path.join(dir, '.lfvauditrc.yaml'), CONFIG);
  const logs = path.join(dir, 'logs');
  await mkdir(logs);
  await writeFile(path.join(logs, 'good.json'), JSON.stringify({ Records: [await seedRecord()] }));
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(logs, name), content);
  return dir;
}

/** `lfvaudit run --source file:logs --sink file:findings.json` in the project, through main(). */
export async function runHostile(dir: string, extraArgs: readonly string[] = []): Promise<HostileRun> {
  const io = capturedIo(dir);
  const logs = path.join(dir, 'logs');
  const out = path.join(dir, 'findings.json');
  const status = await main(['run', '--source', `file:${logs}`, '--sink', `file:${out}`, ...extraArgs], io);
  const findings = (JSON.parse(await readFile(out, 'utf8')) as { Findings: AwsSecurityFinding[] }).Findings;
  const log = JSON.parse(
    io
      .err()
      .trim()
      .split('\n')
      .findLast((line) => line.startsWith('{"lfvaudit"')) ?? '{}',
  ) as Record<string, unknown>;
  return { status, err: io.err(), findings, log, logs };
}

/** Events per rule, summed over the rule's findings (a rule has one finding per group). */
export function findingsByRule(findings: readonly AwsSecurityFinding[]): Record<string, string> {
  const counts: Record<string, number> = {};
  for (const finding of findings) {
    const rule = finding.ProductFields?.['lfvaudit/RuleId'] ?? '?';
    counts[rule] = (counts[rule] ?? 0) + Number(finding.ProductFields?.['lfvaudit/EventCount']);
  }
  return Object.fromEntries(Object.entries(counts).map(([rule, count]) => [rule, String(count)]));
}
