import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { main } from '../../src/cli/main.js';
import { validateAsffFinding } from '../../src/findings/asff-limits.js';
import { capturedIo } from '../support/captured-io.js';
import { repoRoot } from '../support/repo-root.js';
import { tempFolder } from '../support/temp-folder.js';

// Public CloudTrail events from other projects (see ../shared/corpora/SOURCES.md); read in place, never copied.
const corpora = path.join(repoRoot(), '..', 'shared', 'corpora');
const available = existsSync(corpora);

(available ? test : test.skip)('every public corpus record goes through the whole pipeline without a crash, and what it finds is valid ASFF', async (t) => {
  const dir = tempFolder(t, 'corpora');
  await writeFile(path.join(dir, 'package.json'), '{}');
  // Every built-in rule active, so every operator path sees the corpora's odd shapes.
  await writeFile(
    path.join(dir, '.lfvauditrc.yaml'),
    'params:\n  allowedSourceCidrs: [10.0.0.0/8]\n  approvedPackagingBuckets: [ok-bucket]\n  allowedRegions: [us-east-1]\n',
  );
  const out = path.join(dir, 'findings.json');
  const io = capturedIo(dir);
  const sources = (await readdir(corpora)).filter((name) => name.endsWith('.jsonl')).flatMap((name) => ['--source', `file:${path.join(corpora, name)}`]);
  const status = await main(['run', ...sources, '--sink', `file:${out}`, '--format', 'json', '--sink', 'stdout'], io);
  // Panther's test rows and the Security Hub findings file are not CloudTrail logs: reported, so exit 2.
  t.true(status === 0 || status === 2, io.err());
  const report = JSON.parse(io.out()) as { Summary: { recordsRead: number; unreadable: { origin: string }[] } };
  t.true(report.Summary.recordsRead > 3600, String(report.Summary.recordsRead));
  for (const problem of report.Summary.unreadable) {
    t.regex(
      path.basename(problem.origin),
      /^(panther_cloudtrail_tests|custodian_eventbridge_securityhub_findings|awsdocs_cloudtrail_user_guide_fragments|otrf_s3_honeybucket_reconstructed|cloudtrail2sightings_stratus_2022)\.jsonl$/,
    );
  }
  const findings = (JSON.parse(await readFile(out, 'utf8')) as { Findings: AwsSecurityFinding[] }).Findings;
  for (const finding of findings) t.deepEqual(validateAsffFinding(finding), [], finding.Id);
  // The one public Lookout for Vision record (the seed) is in there and the pack sees it.
  t.true(findings.some((finding) => finding.ProductFields?.['lfvaudit/RuleId'] === 'lfv-mfa-required'));
});
