import { cp, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { main } from '../../src/cli/main.js';
import { capturedIo } from '../support/captured-io.js';
import { repoRoot } from '../support/repo-root.js';
import { tempFolder } from '../support/temp-folder.js';

/**
 * Every lfvaudit command in README.md's shell blocks (and docs/rules.md's) runs as written and does
 * what its text says. Commands that need AWS are recognised and left out by one rule: they name
 * `securityhub`, `s3://`, `cloudtrail`, the Security Hub `findings` command, or `--scheduled` (the
 * nightly job against AWS). `npm` lines are the toolchain's, not lfvaudit's.
 */
const DOCUMENTS = ['README.md', 'docs/rules.md'];
const NEEDS_AWS = /securityhub|s3:\/\/|cloudtrail|\bfindings (list|archive)\b|--scheduled/;

interface DocumentedCommand {
  readonly document: string;
  /** The arguments after `lfvaudit`. */
  readonly argv: readonly string[];
  /** `jq '.Summary'` after a pipe: the key the JSON output must have. */
  readonly jqKey?: string;
  readonly comment: string;
  readonly text: string;
}

/** Shell blocks, each as its lfvaudit commands in order (`a && b` gives two). */
async function documentedBlocks(): Promise<DocumentedCommand[][]> {
  const blocks: DocumentedCommand[][] = [];
  for (const document of DOCUMENTS) {
    const text = await readFile(path.join(repoRoot(), document), 'utf8');
    for (const [, body = ''] of text.matchAll(/^```(?:sh|bash|shell)\n([^]*?)^```$/gm)) {
      const commands = body.split('\n').flatMap((line) => {
        const [code = '', ...comment] = line.split(/\s+#\s/);
        return code
          .split('&&')
          .map((part) => part.trim())
          .filter((part) => /^(npx )?lfvaudit\b/.test(part))
          .map((part) => {
            const [command = '', jq] = part.split(/\s*\|\s*/);
            const jqKey = jq === undefined ? undefined : /^jq '\.(\w+)'$/.exec(jq)?.[1];
            return {
              document,
              argv: words(command.replace(/^(npx )?lfvaudit\s*/, '')),
              ...(jqKey === undefined ? {} : { jqKey }),
              comment: comment.join(' # '),
              text: part,
            };
          });
      });
      if (commands.length > 0) blocks.push(commands);
    }
  }
  return blocks;
}

/** Shell words, with single or double quotes. */
function words(text: string): string[] {
  return [...text.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((match) => match[1] ?? match[2] ?? match[3] ?? '');
}

/** The checkout's example project (config, examples) copied, plus trail-logs/ as the README's commands name it. */
async function exampleProject(t: ExecutionContext): Promise<string> {
  const dir = tempFolder(t, 'readme');
  await writeFile(path.join(dir, 'package.json'), '{}');
  await cp(path.join(repoRoot(), 'examples'), path.join(dir, 'examples'), { recursive: true });
  await cp(path.join(repoRoot(), 'examples/logs'), path.join(dir, 'trail-logs'), { recursive: true });
  await cp(path.join(repoRoot(), '.lfvauditrc.yaml'), path.join(dir, '.lfvauditrc.yaml'));
  return dir;
}

/** A block that starts a project with `lfvaudit init` runs in an empty folder of its own (with examples/ for explain). */
async function emptyProject(t: ExecutionContext): Promise<string> {
  const dir = tempFolder(t, 'readme-init');
  await cp(path.join(repoRoot(), 'examples'), path.join(dir, 'examples'), { recursive: true });
  return dir;
}

test('the documents hold lfvaudit commands to run, and the AWS ones are recognised', async (t) => {
  const commands = (await documentedBlocks()).flat();
  t.true(commands.filter((command) => !NEEDS_AWS.test(command.text)).length >= 10, commands.map((command) => command.text).join('\n'));
  t.true(commands.some((command) => NEEDS_AWS.test(command.text)));
});

test('every offline lfvaudit command of README.md and docs/rules.md runs as written and prints what its text says', async (t) => {
  for (const block of await documentedBlocks()) {
    const dir = block.some((command) => command.argv[0] === 'init') ? await emptyProject(t) : await exampleProject(t);
    for (const command of block) {
      if (NEEDS_AWS.test(command.text)) continue;
      const io = capturedIo(dir, { now: new Date('2025-11-01T00:00:00Z') });
      const status = await main(command.argv, io);
      const where = `${command.document}: ${command.text}\n${io.err()}`;
      // The README says --fail-on HIGH exits 1 when such a finding is produced, and the examples hold some.
      t.is(status, command.argv.includes('--fail-on') ? 1 : 0, where);
      if (command.jqKey !== undefined) {
        const output = JSON.parse(io.out()) as Record<string, unknown>;
        t.true(Object.hasOwn(output, command.jqKey) && output[command.jqKey] !== null, `${where}: no ${command.jqKey} in the JSON`);
      }
      if (command.argv[0] === 'run' && !command.argv.includes('--format') && !command.argv.includes('--sink')) t.regex(io.out(), /^Summary$/m, where);
      if (/writes findings\.json/.test(command.comment)) t.true(existsSync(path.join(dir, 'findings.json')), where);
      if (command.argv[0] === 'init') t.true(existsSync(path.join(dir, '.lfvauditrc.yaml')), where);
    }
  }
});
