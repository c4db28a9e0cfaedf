import { existsSync, realpathSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { builtInRulesFolder } from '../ruleset/package-paths.js';
import { packagePath } from '../shared/package-path.js';
import { displayName } from '../shared/terminal-text.js';
import type { CliIo } from './cli-io.js';
import { ExitStatus } from './exit-status.js';
import { EXAMPLE_TRAIL_FILE, EXAMPLE_TRAIL_RECORDS, SCHEMA_FOLDER, STARTER_CONFIG, STARTER_RULE, STARTER_RULE_FILE } from './init-templates.js';
import { docsLine } from './help-text.js';

export const INIT_USAGE = `Usage: lfvaudit init [--force]

Starts an lfvaudit project in the current folder:
  .lfvauditrc.yaml                 a commented config
  rules/${STARTER_RULE_FILE}
                                   an example custom rule with its tests
  trail-logs/${EXAMPLE_TRAIL_FILE}     a small CloudTrail log to try the rules on
  ${SCHEMA_FOLDER}/*.schema.json       the JSON Schemas the config and rule files name, for your editor

Then: lfvaudit rules validate && lfvaudit rules test && lfvaudit run
If any of these files exists, init writes nothing (--force overwrites them). It never writes into
lfvaudit's own checkout, whose rules/ folder is the built-in pack.

Examples:
  mkdir my-audit && cd my-audit && lfvaudit init
  lfvaudit init --force                         write the starter files again

${docsLine('README.md', 'docs/rules.md')}`;

/** A file init writes: where, relative to the project folder, and its text. */
interface ProjectFile {
  readonly relative: string;
  readonly text: () => Promise<string>;
}

export async function initCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: { force: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
    strict: true,
  });
  if (values.help) {
    io.stdout.write(`${INIT_USAGE}\n`);
    return ExitStatus.ok;
  }
  if (isBuiltInPackFolder(path.join(io.cwd, 'rules'))) {
    io.stderr.write(
      `lfvaudit init: ${displayName(io.cwd)} is lfvaudit's own package; its rules/ folder is the built-in pack. Run init in your own project folder.\n`,
    );
    return ExitStatus.error;
  }
  const files = projectFiles();
  const existing = files.filter((file) => existsSync(path.join(io.cwd, file.relative)));
  if (existing.length > 0 && !values.force) {
    for (const file of existing) io.stderr.write(`lfvaudit init: ${displayName(file.relative)} already exists\n`);
    io.stderr.write('lfvaudit init: wrote nothing; move those files away, or use --force to overwrite them\n');
    return ExitStatus.error;
  }
  // Every text is made before anything is written: a failure leaves the folder as it was.
  const texts = await Promise.all(files.map(async (file) => [file.relative, await file.text()] as const));
  for (const [relative, text] of texts) {
    const target = path.join(io.cwd, relative);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, text);
    io.stdout.write(`wrote ${relative}\n`);
  }
  io.stdout.write('next: lfvaudit rules validate && lfvaudit rules test && lfvaudit run\n');
  return ExitStatus.ok;
}

function projectFiles(): readonly ProjectFile[] {
  const schemaCopy = (name: string): ProjectFile => ({
    relative: path.join(SCHEMA_FOLDER, name),
    text: () => readFile(packagePath(path.join('schema', name)), 'utf8'),
  });
  return [
    { relative: '.lfvauditrc.yaml', text: () => Promise.resolve(STARTER_CONFIG) },
    { relative: path.join('rules', STARTER_RULE_FILE), text: () => Promise.resolve(STARTER_RULE) },
    { relative: path.join('trail-logs', EXAMPLE_TRAIL_FILE), text: exampleTrailText },
    schemaCopy('config.schema.json'),
    schemaCopy('rule.schema.json'),
  ];
}

/** A trail file as CloudTrail writes it, from the records the package ships for the built-in pack's tests. */
async function exampleTrailText(): Promise<string> {
  const records: unknown[] = [];
  for (const name of EXAMPLE_TRAIL_RECORDS) records.push(JSON.parse(await readFile(packagePath(path.join('examples', 'records', name)), 'utf8')));
  return `${JSON.stringify({ Records: records }, null, 2)}\n`;
}

function isBuiltInPackFolder(folder: string): boolean {
  if (!existsSync(folder)) return false;
  return realpathSync(folder) === realpathSync(builtInRulesFolder());
}
