import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import test from 'ava';
import { main } from '../../src/cli/main.js';
import { capturedIo } from '../support/captured-io.js';
import { repoRoot } from '../support/repo-root.js';

const run = promisify(execFile);
/** util-linux's script(1) gives the CLI a real pseudo-terminal of the width stty sets. */
const SCRIPT = '/usr/bin/script';
const cli = path.join(repoRoot(), 'dist/src/bin/lfvaudit.js');

/** What a terminal of `columns` shows after `lfvaudit run --sink stdout` on the README's example logs. */
async function terminalLines(columns: number): Promise<string[]> {
  const command = `stty cols ${columns} rows 60; ${JSON.stringify(process.execPath)} ${JSON.stringify(cli)} run --sink stdout`;
  const { stdout } = await run(SCRIPT, ['-qec', command, '/dev/null'], {
    cwd: repoRoot(),
    env: { PATH: process.env['PATH'] ?? '', TERM: 'xterm', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  return stdout.split('\r\n').map((raw) => {
    // A carriage return goes back to the line's start: what follows the last one is what stays visible,
    // once the erase-line sequence has cleared what was there.
    const visible = raw.slice(raw.lastIndexOf('\r') + 1);
    return visible.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*[A-Za-z]`, 'g'), '');
  });
}

async function findingsAsJson(): Promise<{ Title: string; ProductFields: Record<string, string> }[]> {
  const io = capturedIo(repoRoot());
  await main(['run', '--sink', 'stdout', '--format', 'json'], io);
  return (JSON.parse(io.out()) as { Findings: { Title: string; ProductFields: Record<string, string> }[] }).Findings;
}

const normalized = (text: string): string => text.replace(/\s+/g, ' ').trim();

for (const columns of [80, 120, 160]) {
  test(`at ${columns} columns every finding's severity, rule id, count and whole title are on screen, no line is wider`, async (t) => {
    if (!existsSync(SCRIPT)) return t.pass(`no ${SCRIPT} to make a pseudo-terminal`);
    const lines = await terminalLines(columns);
    const findings = await findingsAsJson();
    t.true(findings.length > 5);
    for (const line of lines) t.true([...line].length <= columns, `${[...line].length} > ${columns}: ${line}`);
    const screen = normalized(lines.join('\n'));
    for (const finding of findings) {
      const ruleId = finding.ProductFields['lfvaudit/RuleId'] ?? '';
      const events = finding.ProductFields['lfvaudit/EventCount'] ?? '';
      t.true(screen.includes(normalized(finding.Title)), `title not whole: ${finding.Title}`);
      t.regex(screen, new RegExp(`(CRITICAL|HIGH|MEDIUM|LOW|INFORMATIONAL) +${ruleId} +${events} events?`));
    }
    // The progress line was erased: the first visible line is the findings', not glued to progress text.
    t.regex(lines[0] ?? '', /^(SEVERITY|CRITICAL|HIGH|MEDIUM|LOW|INFORMATIONAL) /);
    t.false(lines.some((line) => line.includes('read 1 input')));
  });
}

test('findings grouped by a field name its value in the title, so they read apart', async (t) => {
  const titles = (await findingsAsJson()).map((finding) => finding.Title);
  t.true(titles.includes('S3 object read with root user credentials: root [bucketName: myuser-bucketname]'), titles.join('\n'));
});
