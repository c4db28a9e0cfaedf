import { parseArgs } from 'node:util';
import { isEntryPoint } from './entry-point.js';
import { createPlainEngine } from './jre-engine.js';
import { loadPlainRules } from './jre-rules.js';
import { scriptReport } from './script-report.js';
import { listTrailFiles, readTrailFile } from './trail-files.js';

/**
 * The baseline: the loop a developer writes with json-rules-engine, `await engine.run({ event })` for each
 * record of each file, over the rules an lfvaudit config selects.
 *
 *   node dist/bench/jre-loop.js --events bench/data/events-typical --config bench/data/bench-config.yaml [--only id,id] [--limit 20000]
 *
 * `--limit` stops after that many records (in file order): with 100 rules the loop is too slow for the whole set.
 */
async function main(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: { events: { type: 'string' }, config: { type: 'string' }, only: { type: 'string' }, limit: { type: 'string' } },
    strict: true,
  });
  if (values.events === undefined || values.config === undefined) throw new Error('usage: jre-loop --events FOLDER --config FILE [--only ID,...] [--limit N]');
  const limit = values.limit === undefined ? Number.POSITIVE_INFINITY : Number(values.limit);
  if (!(limit > 0)) throw new Error(`--limit expects a positive number, got ${values.limit}`);
  const only = values.only === undefined ? undefined : new Set(values.only.split(',').filter((id) => id !== ''));

  const started = performance.now();
  const ruleSet = loadPlainRules(values.config, only);
  if (only !== undefined && ruleSet.rules.length + ruleSet.inactive.length !== only.size)
    throw new Error(`--only names ${only.size} rules, the config selects ${ruleSet.rules.length + ruleSet.inactive.length} of them`);
  const engine = createPlainEngine(ruleSet.rules);
  let events = 0;
  let matches = 0;
  files: for (const file of listTrailFiles(values.events)) {
    for (const record of readTrailFile(file)) {
      if (events >= limit) break files;
      const result = await engine.run({ event: record });
      matches += result.events.length;
      events++;
    }
  }
  process.stdout.write(
    `${JSON.stringify(scriptReport(events, started, { rules: ruleSet.rules.length, inactiveRules: ruleSet.inactive.length, matches, limited: events >= limit }))}\n`,
  );
}

if (isEntryPoint(import.meta.url)) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`jre-loop: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  });
}
