import test from 'ava';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { linkSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { tempFolder } from '../support/temp-folder.js';
import { repoRoot } from '../support/repo-root.js';

const root = repoRoot();
const FOLDERS = 100;
const FILES_PER_FOLDER = 1000;
/**
 * Distinct log files; the rest of the 100,000 are hard links to them. Every path is still opened, read,
 * unzipped and parsed on its own, which is what this measures; only writing the fixture gets cheaper
 * (creating 100,000 files with content takes minutes on a busy disk, a link is one system call).
 */
const DISTINCT_FILES = 1000;
/** One distinct file in this many holds a call the built-in pack flags (no MFA, from outside the allowed networks). */
const FLAGGED_EVERY = 10;
/** Generous: a run that held every file's records or bytes at once would need several times this. */
const PEAK_RSS_LIMIT_KIB = 400 * 1024;

test('a folder of 100,000 small files is audited whole in one pass with bounded memory', async (t) => {
  const started = Date.now();
  const dir = tempFolder(t, 'many-files');
  writeFileSync(path.join(dir, 'package.json'), '{}');
  writeFileSync(
    path.join(dir, '.lfvauditrc.yaml'),
    'rules:\n  builtIn: true\nparams:\n  mfaRequiredActions: [CreateDataset]\n  allowedSourceCidrs: [10.0.0.0/8]\n',
  );
  // Small records, as a console-heavy account's hourly files are: a read-only call, then now and then a flagged one.
  const flagged = JSON.stringify(smallRecord({ eventName: 'CreateDataset', readOnly: false }));
  const quiet = JSON.stringify(smallRecord({ eventName: 'DescribeProject', readOnly: true, sourceIPAddress: '10.1.2.3' }));
  const distinct = path.join(dir, 'distinct');
  mkdirSync(distinct);
  const distinctFiles = Array.from({ length: DISTINCT_FILES }, (_, index) => {
    const body = `{"Records":[${(index % FLAGGED_EVERY === 0 ? flagged : quiet).replace('EVENT-ID', `event-${index}`)}]}`;
    // Half gzipped, as trails deliver them; half plain, as people unpack them.
    const file = path.join(distinct, index % 2 === 0 ? `${index}.json.gz` : `${index}.json`);
    writeFileSync(file, index % 2 === 0 ? gzipSync(body) : body);
    return file;
  });
  for (let folder = 0; folder < FOLDERS; folder += 1) {
    const folderPath = path.join(dir, 'logs', `part-${String(folder).padStart(3, '0')}`);
    mkdirSync(folderPath, { recursive: true });
    for (let file = 0; file < FILES_PER_FOLDER; file += 1) {
      const original = distinctFiles[(folder * FILES_PER_FOLDER + file) % DISTINCT_FILES] as string;
      linkSync(original, path.join(folderPath, `${file}-${path.basename(original)}`));
    }
  }

  t.log(`${FOLDERS * FILES_PER_FOLDER} files written in ${Date.now() - started} ms`);
  const child = spawn(
    process.execPath,
    [
      '--import',
      new URL('../support/report-peak-rss.js', import.meta.url).href,
      path.join(root, 'dist/src/bin/lfvaudit.js'),
      'run',
      '--source',
      'file:logs',
      '--sink',
      'file:findings.json',
    ],
    { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const [status] = (await once(child, 'exit')) as [number | null];
  t.is(status, 0, stderr);

  const log = JSON.parse(stderr.split('\n').find((line) => line.startsWith('{"lfvaudit"')) ?? '{}') as Record<string, number>;
  const total = FOLDERS * FILES_PER_FOLDER;
  // Each event is in 100 files: read 100 times, counted once.
  t.like(log, {
    complete: true,
    inputsRead: total,
    recordsRead: total,
    duplicateRecords: total - DISTINCT_FILES,
    recordsEvaluated: DISTINCT_FILES,
    unreadable: 0,
  });
  const findings = (JSON.parse(readFileSync(path.join(dir, 'findings.json'), 'utf8')) as { Findings: { ProductFields: Record<string, string> }[] }).Findings;
  const mfa = findings.find((finding) => finding.ProductFields['lfvaudit/RuleId'] === 'lfv-mfa-required');
  t.is(mfa?.ProductFields['lfvaudit/EventCount'], String(DISTINCT_FILES / FLAGGED_EVERY));

  const peakKib = Number(/peak-rss-kib=(\d+)/.exec(stderr)?.[1]);
  t.log(`${total} files audited in ${log['durationMs']} ms, peak RSS ${Math.round(peakKib / 1024)} MiB`);
  t.true(peakKib > 0 && peakKib < PEAK_RSS_LIMIT_KIB, `peak RSS ${peakKib} KiB`);
});

/** An AssumedRole call on project P1 without MFA from 198.51.100.7, with the fields given. */
function smallRecord(fields: Record<string, unknown>): Record<string, unknown> {
  return {
    eventVersion: '1.08',
    userIdentity: {
      type: 'AssumedRole',
      arn: 'arn:aws:sts::123456789012:assumed-role/Admin/MyUser',
      accountId: '123456789012',
      sessionContext: { attributes: { mfaAuthenticated: 'false' } },
    },
    eventTime: '2025-10-01T09:00:00Z',
    eventSource: 'lookoutvision.amazonaws.com',
    awsRegion: 'us-east-1',
    sourceIPAddress: '198.51.100.7',
    requestParameters: { projectName: 'P1' },
    eventID: 'EVENT-ID',
    recipientAccountId: '123456789012',
    ...fields,
  };
}
