import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CliIo } from './cli-io.js';
import { ExitStatus } from './exit-status.js';
import { STARTER_CONFIG, STARTER_RULE, STARTER_RULE_FILE } from './init-templates.js';

export const INIT_USAGE = `Usage: lfvaudit init [--force]

Writes a commented .lfvauditrc.yaml and a rules/ folder with one example custom rule and its tests
into the current folder. Existing files are left alone unless --force is given.`;

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
  const files: readonly (readonly [string, string])[] = [
    ['.lfvauditrc.yaml', STARTER_CONFIG],
    [path.join('rules', STARTER_RULE_FILE), STARTER_RULE],
  ];
  let refused = 0;
  for (const [relative, text] of files) {
    const target = path.join(io.cwd, relative);
    await mkdir(path.dirname(target), { recursive: true });
    try {
      await writeFile(target, text, { flag: values.force ? 'w' : 'wx' });
      io.stdout.write(`wrote ${relative}\n`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      io.stderr.write(`lfvaudit init: ${relative} already exists; left as it is (use --force to overwrite)\n`);
      refused += 1;
    }
  }
  if (refused === 0) io.stdout.write('next: lfvaudit rules validate && lfvaudit rules test && lfvaudit run --source file:PATH/TO/TRAIL/LOGS\n');
  return refused === 0 ? ExitStatus.ok : ExitStatus.error;
}
