import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { compiledBenchDir, defaultBenchConfigPath, defaultEventsDir, defaultRulesDir, builtInRulesDir, largeEventsDir, lfvauditBin, repoRoot, resultsPath, runsDir } from './bench-paths.js';
import { isEntryPoint } from './entry-point.js';
import { DEFAULT_EVENT_PARAMETERS, generateEventData, parametersForSize, type EventDataManifest } from './generate-events.js';
import { DEFAULT_RULE_COUNT, DEFAULT_RULE_SEED, generateRulePack, writeBenchConfig } from './generate-rules.js';
import { measureNodeProcess, type ProcessMeasurement } from './measure-process.js';
import { medianPeakRow } from './repeated-runs.js';
import { formatTable, withRatios, type BenchRow } from './results-table.js';
import { S3_ROW_KEY, withS3BenchBucket } from './s3-row.js';

/**
 * `npm run bench`: generates the data and the rule pack (unless already there), then measures each variant as
 * a fresh node process, one after the other, and prints the table (also written to bench/results.json).
 *
 *   npm run bench                                 all rows on the standard data set
 *   npm run bench -- --only floor,lfvaudit        some rows
 *   npm run bench -- --memory                     adds lfvaudit over ~2 GB of uncompressed input (peak RSS target)
 *   npm run bench -- --memory --memory-runs 5     the 2 GB row run 5 times: its median run, and every peak
 *   npm run bench -- --events 20000 --files 20    a smaller data set, for a quick look
 */

interface LfvauditVariant {
  readonly key: string;
  readonly label: string;
  /** Extra `lfvaudit run` arguments. */
  readonly args: readonly string[];
  readonly timeoutSeconds: number;
}

/**
 * The lfvaudit command lines to compare; add a row to measure a new flag. A flag lfvaudit does not know yet
 * makes its row FAILED in the table, not the benchmark.
 */
const LFVAUDIT_VARIANTS: readonly LfvauditVariant[] = [
  { key: 'lfvaudit', label: 'lfvaudit run, 100 rules', args: [], timeoutSeconds: 180 },
  // The json-rules-engine reference evaluator inside the same pipeline: what the compiled default replaces.
  { key: 'lfvaudit-reference', label: 'lfvaudit run --engine reference', args: ['--engine', 'reference'], timeoutSeconds: 300 },
];

const FLOOR_KEY = 'floor';
const PLAIN_LOOP_KEY = 'plain-100';
/** The 100-rule plain loop runs at a few hundred events/s: it measures only this many records (in file order). */
const DEFAULT_PLAIN_LOOP_SAMPLE = 20_000;
const MEMORY_SIZE_GB = 2;
const MEMORY_KEY = `lfvaudit-${MEMORY_SIZE_GB}gb`;
/** Issue 6's target for the 2 GB row's peak RSS. */
const MEMORY_TARGET_MB = 300;
const ROW_KEYS: readonly string[] = [FLOOR_KEY, 'plain-3', PLAIN_LOOP_KEY, ...LFVAUDIT_VARIANTS.map((variant) => variant.key), S3_ROW_KEY, MEMORY_KEY];

interface RunOptions {
  readonly only?: ReadonlySet<string>;
  readonly memory: boolean;
  readonly memoryRuns: number;
  readonly records: number;
  readonly files: number;
  readonly plainLoopSample: number;
}

async function runBenchmark(options: RunOptions): Promise<void> {
  const log = (line: string): void => void process.stdout.write(`${line}\n`);
  const machine = describeMachine();
  log(`machine: ${machine.cpuModel} × ${machine.cpus}, ${machine.memoryGb} GB, node ${machine.node}, ${machine.platform}`);
  if (machine.loadAverage[0] !== undefined && machine.loadAverage[0] > machine.cpus / 2) {
    log(`note: load average ${machine.loadAverage.map((load) => load.toFixed(1)).join(' ')} — other work is running, timings will be noisy`);
  }

  const events = generateEventData(defaultEventsDir, { seed: DEFAULT_EVENT_PARAMETERS.seed, records: options.records, files: options.files }, log);
  log(`${events.generated ? 'generated' : 'reusing'} ${describeData(events.manifest)} in ${defaultEventsDir}`);
  const pack = generateRulePack({ outDir: defaultRulesDir, builtInDir: builtInRulesDir, seed: DEFAULT_RULE_SEED, total: DEFAULT_RULE_COUNT });
  writeBenchConfig(defaultBenchConfigPath, defaultRulesDir);
  log(`rule pack: ${pack.ids.length} rules (${pack.builtInIds.length} built-in, ${pack.generatedIds.length} generated) in ${defaultRulesDir}`);
  for (const { file, reason } of pack.skippedBuiltIns) log(`  skipped built-in ${file}: ${reason}`);
  const threeRules = pack.generatedIds.slice(0, 3);

  const wanted = (key: string): boolean => options.only === undefined || options.only.has(key);
  const rows: BenchRow[] = [];
  const measure = async (key: string, label: string, script: string, args: readonly string[], timeoutSeconds: number, interpret: Interpreter, env?: Readonly<Record<string, string>>): Promise<void> => {
    if (!wanted(key)) return;
    log(`measuring ${label} …`);
    const runDir = join(runsDir, key);
    mkdirSync(runDir, { recursive: true });
    const measurement = await measureNodeProcess({ script, args, timeoutSeconds, usageFile: join(runDir, 'usage.jsonl'), cwd: repoRoot, ...(env === undefined ? {} : { env }) });
    rows.push(rowFrom(key, label, measurement, interpret));
  };

  const script = (name: string): string => join(compiledBenchDir, name);
  await measure(FLOOR_KEY, 'parse-only floor (gunzip + JSON.parse)', script('parse-floor.js'), [defaultEventsDir], 180, scriptLine((reported) => `${String(reported.files)} files`));
  await measure('plain-3', 'json-rules-engine loop, 3 rules', script('jre-loop.js'), ['--events', defaultEventsDir, '--config', defaultBenchConfigPath, '--only', threeRules.join(',')], 300, scriptLine(() => `rules ${threeRules.join(', ')}`));
  await measure(PLAIN_LOOP_KEY, `json-rules-engine loop, ${pack.ids.length} rules`, script('jre-loop.js'), ['--events', defaultEventsDir, '--config', defaultBenchConfigPath, '--limit', String(options.plainLoopSample)], 300, scriptLine((reported) => (reported.limited === true ? `the first ${options.plainLoopSample.toLocaleString('en-US')} records only` : 'all records')));
  for (const variant of LFVAUDIT_VARIANTS) {
    const sink = join(runsDir, variant.key, 'findings.json');
    const args = ['run', '--config', defaultBenchConfigPath, '--source', `file:${defaultEventsDir}`, '--sink', `file:${sink}`, ...variant.args];
    await measure(variant.key, variant.label, lfvauditBin, args, variant.timeoutSeconds, lfvauditRun(events.manifest.parameters.records));
  }
  if (wanted(S3_ROW_KEY)) {
    await withS3BenchBucket({ eventsDir: defaultEventsDir, benchConfigPath: defaultBenchConfigPath, runDir: join(runsDir, S3_ROW_KEY), log }, (bucket) =>
      measure(S3_ROW_KEY, 'lfvaudit run, S3 source (s3rver)', lfvauditBin, bucket.args, 300, lfvauditRun(events.manifest.parameters.records), bucket.env),
    );
  }
  if (options.memory && wanted(MEMORY_KEY)) {
    const large = generateEventData(largeEventsDir(MEMORY_SIZE_GB), parametersForSize(MEMORY_SIZE_GB, DEFAULT_EVENT_PARAMETERS.seed), log);
    log(`${large.generated ? 'generated' : 'reusing'} ${describeData(large.manifest)} in ${largeEventsDir(MEMORY_SIZE_GB)}`);
    const base = LFVAUDIT_VARIANTS[0];
    const key = MEMORY_KEY;
    const sink = join(runsDir, key, 'findings.json');
    const args = ['run', '--config', defaultBenchConfigPath, '--source', `file:${largeEventsDir(MEMORY_SIZE_GB)}`, '--sink', `file:${sink}`, ...(base?.args ?? [])];
    const first = rows.length;
    for (let run = 0; run < options.memoryRuns; run += 1) {
      await measure(key, `lfvaudit run, ${(large.manifest.uncompressedBytes / 1e9).toFixed(1)} GB input`, lfvauditBin, args, 900, lfvauditRun(large.manifest.parameters.records));
    }
    rows.push(medianPeakRow(rows.splice(first), MEMORY_TARGET_MB));
  }

  const finalRows = withRatios(noteFindingDifferences(rows), FLOOR_KEY, PLAIN_LOOP_KEY);
  log('');
  log(formatTable(finalRows));
  log('');
  log('events/s = events ÷ wall-clock seconds of the whole process; × floor and × plain loop compare events/s with the parse-only floor');
  log(`and the ${pack.ids.length}-rule json-rules-engine loop. Peak RSS is summed over the node processes of a row.`);
  const results = { date: new Date().toISOString(), machine, data: events.manifest, rulePack: { rules: pack.ids.length, builtIn: pack.builtInIds.length, generated: pack.generatedIds.length, threeRules }, plainLoopSample: options.plainLoopSample, rows: finalRows };
  writeFileSync(resultsPath, `${JSON.stringify(results, null, 2)}\n`);
  log(`written ${resultsPath}`);
}

/** Turns what a finished process printed into the row's counts and note. */
type Interpreter = (measurement: ProcessMeasurement) => { readonly events: number; readonly note: string; readonly reported?: Record<string, unknown> } | { readonly failure: string };

/** The bench scripts print one JSON line with `events`. */
function scriptLine(noteOf: (reported: Record<string, unknown>) => string): Interpreter {
  return (measurement) => {
    const reported = lastJsonLine(measurement.stdout, (value) => typeof value.events === 'number');
    if (reported === undefined) return { failure: 'no result line on stdout' };
    return { events: reported.events as number, note: noteOf(reported), reported };
  };
}

/** lfvaudit prints one JSON log line on stderr when it is not a terminal (`{"lfvaudit":"run",...}`). */
function lfvauditRun(recordsInData: number): Interpreter {
  return (measurement) => {
    const logLine = lastJsonLine(measurement.stderrTail, (value) => value.lfvaudit === 'run');
    if (logLine === undefined || typeof logLine.recordsRead !== 'number') return { failure: 'no run log line with recordsRead on stderr' };
    if (logLine.recordsRead !== recordsInData) return { failure: `read ${logLine.recordsRead} records of the ${recordsInData} in the data set` };
    return { events: logLine.recordsRead, note: `findings ${String(logLine.findings)}, evaluated ${String(logLine.recordsEvaluated)}`, reported: logLine };
  };
}

function rowFrom(key: string, label: string, measurement: ProcessMeasurement, interpret: Interpreter): BenchRow {
  const usage = { seconds: measurement.wallSeconds, ...(measurement.cpuSeconds === undefined ? {} : { cpuSeconds: measurement.cpuSeconds }), ...(measurement.peakRssMb === undefined ? {} : { peakRssMb: measurement.peakRssMb }) };
  if (measurement.timedOut) return { key, label, status: 'timed out', ...usage, note: `stopped after ${Math.round(measurement.wallSeconds)} s` };
  if (measurement.exitCode !== 0 && measurement.exitCode !== 1) {
    return { key, label, status: 'failed', ...usage, note: `exit ${measurement.exitCode ?? measurement.signal ?? '?'}: ${firstProblem(measurement.stderrTail)}` };
  }
  const interpreted = interpret(measurement);
  if ('failure' in interpreted) return { key, label, status: 'failed', ...usage, note: interpreted.failure };
  return {
    key,
    label,
    status: 'ok',
    events: interpreted.events,
    ...usage,
    eventsPerSecond: interpreted.events / measurement.wallSeconds,
    note: measurement.processes > 1 ? [interpreted.note, `${measurement.processes} processes`].filter((part) => part !== '').join('; ') : interpreted.note,
    ...(interpreted.reported === undefined ? {} : { reported: interpreted.reported }),
  };
}

/** Results must not depend on the engine: flag an lfvaudit row whose finding count differs from the first one's. */
function noteFindingDifferences(rows: readonly BenchRow[]): BenchRow[] {
  const findingsOf = (row: BenchRow): unknown => (row.status === 'ok' ? row.reported?.findings : undefined);
  const reference = rows.find((row) => row.key === LFVAUDIT_VARIANTS[0]?.key && findingsOf(row) !== undefined);
  return rows.map((row) => {
    const isVariant = LFVAUDIT_VARIANTS.some((variant) => variant.key === row.key);
    if (reference === undefined || row === reference || !isVariant || findingsOf(row) === undefined) return row;
    return findingsOf(row) === findingsOf(reference) ? row : { ...row, note: `${row.note}; FINDINGS DIFFER from ${reference.label} (${String(findingsOf(reference))})` };
  });
}

function lastJsonLine(text: string, accept: (value: Record<string, unknown>) => boolean): Record<string, unknown> | undefined {
  const lines = text.split('\n').reverse();
  for (const line of lines) {
    if (!line.startsWith('{')) continue;
    try {
      const value = JSON.parse(line) as unknown;
      if (typeof value === 'object' && value !== null && !Array.isArray(value) && accept(value as Record<string, unknown>)) return value as Record<string, unknown>;
    } catch {
      // a line that merely starts with a brace
    }
  }
  return undefined;
}

/** The line most likely to say why a process failed. */
function firstProblem(stderr: string): string {
  const lines = stderr.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  const line = lines.find((candidate) => /error|cannot|not found|unknown/i.test(candidate)) ?? lines[lines.length - 1] ?? 'no output';
  return line.length > 160 ? `${line.slice(0, 159)}…` : line;
}

function describeData(manifest: EventDataManifest): string {
  const { records, files } = manifest.parameters;
  return `${records.toLocaleString('en-US')} records in ${files} files (${(manifest.uncompressedBytes / 1e6).toFixed(0)} MB uncompressed, ${Math.round(manifest.uncompressedBytes / records)} bytes a record, ${manifest.duplicateRecords} duplicate deliveries)`;
}

function describeMachine(): { cpuModel: string; cpus: number; memoryGb: number; node: string; platform: string; loadAverage: number[] } {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model ?? 'unknown CPU',
    cpus: cpus.length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAverage: os.loadavg(),
  };
}

function positiveInteger(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`--${name} expects a positive integer, got ${JSON.stringify(text)}`);
  return value;
}

async function main(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: { only: { type: 'string' }, memory: { type: 'boolean', default: false }, 'memory-runs': { type: 'string' }, events: { type: 'string' }, files: { type: 'string' }, sample: { type: 'string' } },
    strict: true,
  });
  const only = values.only?.split(',').filter((key) => key !== '');
  const unknown = only?.filter((key) => !ROW_KEYS.includes(key)) ?? [];
  if (unknown.length > 0) throw new Error(`--only: unknown row ${unknown.join(', ')}; rows are ${ROW_KEYS.join(', ')}`);
  if (!existsSync(lfvauditBin)) process.stdout.write(`note: ${lfvauditBin} is missing; the lfvaudit rows will fail\n`);
  await runBenchmark({
    ...(only === undefined ? {} : { only: new Set(only) }),
    memory: values.memory,
    memoryRuns: positiveInteger('memory-runs', values['memory-runs'], 1),
    records: positiveInteger('events', values.events, DEFAULT_EVENT_PARAMETERS.records),
    files: positiveInteger('files', values.files, DEFAULT_EVENT_PARAMETERS.files),
    plainLoopSample: positiveInteger('sample', values.sample, DEFAULT_PLAIN_LOOP_SAMPLE),
  });
}

if (isEntryPoint(import.meta.url)) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  });
}
