import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildBaseline } from './baseline-build.js';
import {
  benchDataDir,
  builtInRulesDir,
  compiledBenchDir,
  defaultBenchConfigPath,
  defaultRulesDir,
  eventsDirFor,
  lfvauditBin,
  repoRoot,
  resultsPath,
  runsDir,
} from './bench-paths.js';
import { ensureDuckDb } from './duckdb-peer.js';
import { isEntryPoint } from './entry-point.js';
import {
  DEFAULT_EVENT_PARAMETERS,
  generateEventData,
  parametersForSize,
  type EventDataManifest,
  type EventDataParameters,
  type TrafficProfile,
} from './generate-events.js';
import { DEFAULT_RULE_COUNT, DEFAULT_RULE_SEED, generateRulePack, writeBenchConfig } from './generate-rules.js';
import { medianOfRuns, runInterleaved, type RunOutcome } from './interleaved-runs.js';
import { measureNodeProcess, type ProcessMeasurement } from './measure-process.js';
import { MISSION_RULE_IDS, writeMissionConfig } from './mission-rules.js';
import { formatTable, withFloorRatios, type BenchRow, type MatchesByRule } from './results-table.js';
import { matchDifferences, matchesInFindingsFile, totalMatches } from './rule-matches.js';
import { withS3BenchBucket, type S3BenchBucket } from './s3-row.js';
import { DEFAULT_STARTUP_RUNS, formatStartupTable, measureStartup, type StartupRow } from './startup.js';
import { formatTargets, judgeTargets } from './targets.js';

/**
 * `npm run bench`: measures start-up (`--help`, `--version`, `rules validate`, `run` over an empty folder
 * against `node -e 0`), generates the data sets and the rule pack (unless already there), then measures each
 * row as a fresh node process, all rows one after the other, `--runs` times over, and prints each row's median
 * run, the rule matches the rows report, whether lfvaudit and DuckDB matched the same events, and the
 * targets. Results also go to bench/results.json.
 *
 *   npm run bench                                  start-up, then default rows on the typical and alert-storm sets, 3 runs
 *   npm run bench -- --startup                     start-up alone (11 runs a row unless --runs says otherwise; seconds)
 *   npm run bench -- --runs 5                      more runs for steadier medians
 *   npm run bench -- --rows floor,lfvaudit-3       some rows (all: floor, lfvaudit-3, lfvaudit-100, duckdb-3, jre-3, jre-100, s3-100)
 *   npm run bench -- --sets typical                one data set
 *   npm run bench -- --baseline main               adds the 100-rule pack run by another commit's lfvaudit
 *   npm run bench -- --large                       adds the 100-rule pack over 2 GB of typical input (minutes)
 *   npm run bench -- --events 20000 --files 20     smaller data sets, for a quick look
 *
 * The exit status is 1 when a row failed or lfvaudit and DuckDB matched different events; a target that is
 * not met is reported, not an error.
 */

const ROW_KEYS = ['floor', 'lfvaudit-3', 'lfvaudit-100', 'duckdb-3', 'jre-3', 'jre-100', 's3-100'] as const;
type RowKey = (typeof ROW_KEYS)[number] | 'baseline-100';
const DEFAULT_ROWS: readonly RowKey[] = ['floor', 'lfvaudit-3', 'lfvaudit-100', 'duckdb-3'];
const SETS: readonly TrafficProfile[] = ['typical', 'alert-storm'];
const LARGE_SET = 'typical-2gb';
const LARGE_SIZE_GB = 2;
const DEFAULT_RUNS = 3;
const startupDir = join(benchDataDir, 'startup');
/** The 100-rule json-rules-engine loop runs at a few hundred events/s: it measures only this many records. */
const JRE_PACK_SAMPLE = 20_000;
const peersDir = join(benchDataDir, 'peers');
const missionConfigPath = join(benchDataDir, 'mission-config.yaml');

interface DataSet {
  readonly name: string;
  readonly dir: string;
  readonly manifest: EventDataManifest;
}

interface Job {
  readonly set: DataSet;
  readonly key: RowKey;
  readonly label: string;
  readonly script: string;
  readonly args: readonly string[];
  readonly timeoutSeconds: number;
  /** Variables added to the process's environment (s3rver's credentials for the S3 row). */
  readonly env?: Readonly<Record<string, string>>;
  readonly interpret: Interpreter;
  /** Where lfvaudit writes its findings, to count its matches. */
  readonly findingsPath?: string;
  /** Why the row cannot run (DuckDB could not be installed, the baseline did not build). */
  readonly unavailable?: string;
}

/** What a finished process printed, as the row's event count and matches. */
type Interpreter = (
  measurement: ProcessMeasurement,
) => { readonly events: number; readonly matches?: number; readonly matchesByRule?: MatchesByRule; readonly note: string } | { readonly failure: string };

interface Options {
  readonly runs: number;
  readonly startupRuns: number;
  /** Only the start-up section. */
  readonly startupOnly: boolean;
  readonly rows: readonly RowKey[];
  readonly sets: readonly TrafficProfile[];
  readonly baseline?: string;
  readonly large: boolean;
  readonly records: number;
  readonly files: number;
}

async function runBenchmark(options: Options): Promise<number> {
  const log = (line: string): void => void process.stdout.write(`${line}\n`);
  const machineBefore = describeMachine();
  log(
    `machine: ${machineBefore.cpuModel} × ${machineBefore.cpus}, ${machineBefore.memoryGb} GB, node ${machineBefore.node}, load average ${loadText(machineBefore.loadAverage)}`,
  );
  const startup = await measureStartup({ lfvauditBin, projectDir: startupDir, runs: options.startupRuns, log });
  log('');
  log(formatStartupTable(startup));
  log('median s: the median run, wall clock from spawn to exit; CPU s: its median user + system time; beyond node s: median s minus node -e 0’s.');
  log('');
  const startupOk = startup.every((row) => row.status === 'ok');
  if (options.startupOnly) {
    const machineAfter = describeMachine();
    log(`load average before ${loadText(machineBefore.loadAverage)}, after ${loadText(machineAfter.loadAverage)} (${machineAfter.cpus} CPUs)`);
    writeResults({ machine: machineBefore, loadAverageAfter: machineAfter.loadAverage, startupRuns: options.startupRuns, startup }, log);
    return startupOk ? 0 : 1;
  }

  const sets = options.sets.map((profile) =>
    dataSet(profile, profile, eventsDirFor(profile), { ...DEFAULT_EVENT_PARAMETERS, profile, records: options.records, files: options.files }, log),
  );
  const largeSet = options.large
    ? dataSet(LARGE_SET, 'typical', eventsDirFor('typical', LARGE_SIZE_GB), parametersForSize('typical', LARGE_SIZE_GB, DEFAULT_EVENT_PARAMETERS.seed), log)
    : undefined;
  const pack = generateRulePack({ outDir: defaultRulesDir, builtInDir: builtInRulesDir, seed: DEFAULT_RULE_SEED, total: DEFAULT_RULE_COUNT });
  writeBenchConfig(defaultBenchConfigPath, defaultRulesDir);
  writeMissionConfig(missionConfigPath);
  log(
    `rule pack: ${pack.ids.length} rules (${pack.builtInIds.length} built-in, ${pack.generatedIds.length} generated); mission rules: ${MISSION_RULE_IDS.join(', ')}`,
  );
  for (const { file, reason } of pack.skippedBuiltIns) log(`  skipped built-in ${file}: ${reason}`);

  const duckDb = options.rows.includes('duckdb-3') ? ensureDuckDb(peersDir, log) : undefined;
  const baseline = options.baseline === undefined ? undefined : buildBaseline(repoRoot, options.baseline, log);
  const matchesOf = new Map<Job, Pick<BenchRow, 'matches' | 'matchesByRule'>>();
  const notesOf = new Map<Job, string>();
  const measureAll = async (buckets: ReadonlyMap<string, S3BenchBucket>): Promise<{ jobs: Job[]; outcomes: RunOutcome[][] }> => {
    const jobs: Job[] = [];
    for (const set of sets) {
      for (const key of options.rows)
        jobs.push(jobFor(set, key, { duckDbProblem: duckDb !== undefined && 'problem' in duckDb ? duckDb.problem : undefined, bucket: buckets.get(set.name) }));
      if (baseline !== undefined) jobs.push(baselineJob(set, options.baseline ?? '', baseline));
    }
    if (largeSet !== undefined) jobs.push({ ...jobFor(largeSet, 'lfvaudit-100', {}), timeoutSeconds: 1800 });
    const outcomes = await runInterleaved(jobs, options.runs, async (job, round) => {
      if (job.unavailable !== undefined) return { status: 'unavailable', note: job.unavailable };
      log(`run ${round + 1}/${options.runs}: ${job.set.name}, ${job.label} …`);
      const outcome = await measureJob(job);
      if (outcome.status === 'ok' && !matchesOf.has(job)) {
        matchesOf.set(job, outcome.matches);
        notesOf.set(job, outcome.note);
      }
      return outcome.status === 'ok' ? outcome.run : outcome;
    });
    return { jobs, outcomes };
  };
  const s3Sets = options.rows.includes('s3-100') ? sets.map((set) => ({ name: set.name, eventsDir: set.dir, runDir: join(runsDir, set.name, 's3-100') })) : [];
  const { jobs, outcomes } =
    s3Sets.length === 0 ? await measureAll(new Map()) : await withS3BenchBucket({ sets: s3Sets, benchConfigPath: defaultBenchConfigPath, log }, measureAll);

  const rows = withFloorRatios(
    jobs.map((job, index) => {
      const summary = medianOfRuns(outcomes[index] ?? []);
      const base = { set: job.set.name, key: job.key, label: job.label };
      if (summary.outcome.status !== 'ok') return { ...base, status: summary.outcome.status, note: summary.outcome.note };
      const { events, seconds, cpuSeconds, peakRssMb } = summary.outcome;
      const runsNote = `runs ${summary.runSeconds.map((value) => value.toFixed(2)).join(', ')} s`;
      return {
        ...base,
        status: 'ok',
        events,
        seconds,
        runSeconds: summary.runSeconds,
        eventsPerSecond: events / seconds,
        ...(cpuSeconds === undefined ? {} : { cpuSeconds }),
        ...(peakRssMb === undefined ? {} : { peakRssMb }),
        ...(summary.maxPeakRssMb === undefined ? {} : { maxPeakRssMb: summary.maxPeakRssMb }),
        ...matchesOf.get(job),
        note: [notesOf.get(job) ?? '', runsNote].filter((part) => part !== '').join('; '),
      } satisfies BenchRow;
    }),
    'floor',
  );

  log('');
  log(formatTable(rows));
  log('');
  log('median s: the median of the runs, wall clock of the whole process; events/s = events ÷ median s; × floor compares it with');
  log('gunzip + JSON.parse alone on the same set; peak RSS: the median run’s, summed over the row’s node processes; matches: rule × event.');
  log('');
  const agreement = checkAgreement(rows);
  for (const line of agreement.lines) log(line);
  log('');
  const targets = judgeTargets(rows, {
    typicalSet: 'typical',
    stormSet: 'alert-storm',
    largeSet: LARGE_SET,
    floor: 'floor',
    missionRules: 'lfvaudit-3',
    rulePack: 'lfvaudit-100',
    duckDb: 'duckdb-3',
    baseline: 'baseline-100',
  });
  log(formatTargets(targets));
  const machineAfter = describeMachine();
  log('');
  log(`load average before ${loadText(machineBefore.loadAverage)}, after ${loadText(machineAfter.loadAverage)} (${machineAfter.cpus} CPUs)`);

  const results = {
    machine: machineBefore,
    loadAverageAfter: machineAfter.loadAverage,
    startupRuns: options.startupRuns,
    startup,
    runs: options.runs,
    dataSets: [...sets, ...(largeSet === undefined ? [] : [largeSet])].map((set) => ({ name: set.name, ...set.manifest })),
    rulePack: { rules: pack.ids.length, builtIn: pack.builtInIds.length, generated: pack.generatedIds.length },
    ...(baseline === undefined ? {} : { baseline: 'commit' in baseline ? baseline.commit : baseline.problem }),
    rows,
    agreement: agreement.lines,
    targets,
  };
  writeResults(results, log);
  return startupOk && rows.every((row) => row.status === 'ok') && agreement.agree ? 0 : 1;
}

function writeResults(results: { readonly startup: readonly StartupRow[] } & Record<string, unknown>, log: (line: string) => void): void {
  writeFileSync(resultsPath, `${JSON.stringify({ date: new Date().toISOString(), ...results }, null, 2)}\n`);
  log(`written ${resultsPath}`);
}

function dataSet(name: string, profile: TrafficProfile, dir: string, parameters: EventDataParameters, log: (line: string) => void): DataSet {
  const result = generateEventData(dir, { ...parameters, profile }, log);
  const { records, files } = result.manifest.parameters;
  log(
    `${result.generated ? 'generated' : 'reusing'} ${name}: ${records.toLocaleString('en-US')} records in ${files} files (${(result.manifest.uncompressedBytes / 1e6).toFixed(0)} MB uncompressed, ${result.manifest.duplicateRecords} duplicate deliveries) in ${dir}`,
  );
  return { name, dir, manifest: result.manifest };
}

function jobFor(set: DataSet, key: RowKey, context: { readonly duckDbProblem?: string | undefined; readonly bucket?: S3BenchBucket | undefined }): Job {
  const script = (name: string): string => join(compiledBenchDir, name);
  const records = set.manifest.parameters.records;
  const lfvaudit = (label: string, config: string): Job => {
    const findingsPath = join(runsDir, set.name, key, 'findings.json');
    mkdirSync(join(runsDir, set.name, key), { recursive: true });
    return {
      set,
      key,
      label,
      script: lfvauditBin,
      args: ['run', '--config', config, '--source', `file:${set.dir}`, '--sink', `file:${findingsPath}`],
      timeoutSeconds: 600,
      interpret: lfvauditRun(records),
      findingsPath,
    };
  };
  switch (key) {
    case 'floor':
      return {
        set,
        key,
        label: 'parse floor (gunzip + JSON.parse)',
        script: script('parse-floor.js'),
        args: [set.dir],
        timeoutSeconds: 300,
        interpret: scriptLine(() => ({})),
      };
    case 'lfvaudit-3':
      return lfvaudit('lfvaudit, 3 mission rules', missionConfigPath);
    case 'lfvaudit-100':
      return lfvaudit('lfvaudit, 100-rule pack', defaultBenchConfigPath);
    case 'duckdb-3':
      return {
        set,
        key,
        label: 'DuckDB, 1 thread, 3 mission rules (SQL)',
        script: script('duckdb-row.js'),
        args: ['--peers', peersDir, '--events', set.dir],
        timeoutSeconds: 600,
        interpret: scriptLine((reported) => {
          const matchesByRule = reported.matchesByRule as MatchesByRule;
          return { matchesByRule, matches: totalMatches(matchesByRule) };
        }),
        ...(context.duckDbProblem === undefined ? {} : { unavailable: context.duckDbProblem }),
      };
    case 'jre-3':
      return {
        set,
        key,
        label: 'json-rules-engine loop, 3 mission rules',
        script: script('jre-loop.js'),
        args: ['--events', set.dir, '--config', missionConfigPath],
        timeoutSeconds: 900,
        interpret: scriptLine((reported) => ({ matches: reported.matches as number })),
      };
    case 'jre-100':
      return {
        set,
        key,
        label: `json-rules-engine loop, 100-rule pack (first ${JRE_PACK_SAMPLE.toLocaleString('en-US')} records)`,
        script: script('jre-loop.js'),
        args: ['--events', set.dir, '--config', defaultBenchConfigPath, '--limit', String(JRE_PACK_SAMPLE)],
        timeoutSeconds: 900,
        interpret: scriptLine((reported) => ({ matches: reported.matches as number })),
      };
    case 's3-100': {
      if (context.bucket === undefined) throw new Error('bug: the S3 row without its bucket');
      const findingsPath = join(runsDir, set.name, key, 'findings.json');
      return {
        set,
        key,
        label: 'lfvaudit, 100-rule pack, S3 source (s3rver)',
        script: lfvauditBin,
        args: context.bucket.args,
        env: context.bucket.env,
        timeoutSeconds: 600,
        interpret: lfvauditRun(records),
        findingsPath,
      };
    }
    case 'baseline-100':
      throw new Error('bug: the baseline row is built by baselineJob');
  }
}

function baselineJob(set: DataSet, commitish: string, baseline: { readonly commit: string; readonly bin: string } | { readonly problem: string }): Job {
  const findingsPath = join(runsDir, set.name, 'baseline-100', 'findings.json');
  mkdirSync(join(runsDir, set.name, 'baseline-100'), { recursive: true });
  return {
    set,
    key: 'baseline-100',
    label: `lfvaudit at ${commitish}${'commit' in baseline ? ` (${baseline.commit.slice(0, 8)})` : ''}, 100-rule pack`,
    script: 'bin' in baseline ? baseline.bin : '',
    args: ['run', '--config', defaultBenchConfigPath, '--source', `file:${set.dir}`, '--sink', `file:${findingsPath}`],
    timeoutSeconds: 600,
    interpret: lfvauditRun(set.manifest.parameters.records),
    findingsPath,
    ...('problem' in baseline ? { unavailable: baseline.problem } : {}),
  };
}

type JobOutcome =
  | { readonly status: 'ok'; readonly run: RunOutcome; readonly matches: Pick<BenchRow, 'matches' | 'matchesByRule'>; readonly note: string }
  | Exclude<RunOutcome, { status: 'ok' }>;

async function measureJob(job: Job): Promise<JobOutcome> {
  const usageFile = join(runsDir, job.set.name, `${job.key}.usage.jsonl`);
  mkdirSync(join(runsDir, job.set.name), { recursive: true });
  const measurement = await measureNodeProcess({
    script: job.script,
    args: job.args,
    timeoutSeconds: job.timeoutSeconds,
    usageFile,
    cwd: repoRoot,
    ...(job.env === undefined ? {} : { env: job.env }),
  });
  const seconds = measurement.wallSeconds;
  if (measurement.timedOut) return { status: 'timed out', note: `stopped after ${Math.round(seconds)} s`, seconds };
  if (measurement.exitCode !== 0 && measurement.exitCode !== 1)
    return { status: 'failed', note: `exit ${measurement.exitCode ?? measurement.signal ?? '?'}: ${firstProblem(measurement.stderrTail)}`, seconds };
  const interpreted = job.interpret(measurement);
  if ('failure' in interpreted) return { status: 'failed', note: interpreted.failure, seconds };
  let matches: Pick<BenchRow, 'matches' | 'matchesByRule'> = {
    ...(interpreted.matches === undefined ? {} : { matches: interpreted.matches }),
    ...(interpreted.matchesByRule === undefined ? {} : { matchesByRule: interpreted.matchesByRule }),
  };
  if (job.findingsPath !== undefined) {
    try {
      const matchesByRule = matchesInFindingsFile(job.findingsPath);
      matches = { matches: totalMatches(matchesByRule), matchesByRule };
    } catch (error) {
      return { status: 'failed', note: `its findings could not be counted: ${error instanceof Error ? error.message : String(error)}`, seconds };
    }
  }
  return {
    status: 'ok',
    run: {
      status: 'ok',
      events: interpreted.events,
      seconds,
      ...(measurement.cpuSeconds === undefined ? {} : { cpuSeconds: measurement.cpuSeconds }),
      ...(measurement.peakRssMb === undefined ? {} : { peakRssMb: measurement.peakRssMb }),
    },
    matches,
    note: interpreted.note,
  };
}

/** The bench scripts print one JSON line with `events`. */
function scriptLine(extract: (reported: Record<string, unknown>) => { readonly matches?: number; readonly matchesByRule?: MatchesByRule }): Interpreter {
  return (measurement) => {
    const reported = lastJsonLine(measurement.stdout, (value) => typeof value.events === 'number');
    if (reported === undefined) return { failure: 'no result line on stdout' };
    return { events: reported.events as number, note: '', ...extract(reported) };
  };
}

/** lfvaudit prints one JSON log line on stderr when it is not a terminal (`{"lfvaudit":"run",...}`). */
function lfvauditRun(recordsInData: number): Interpreter {
  return (measurement) => {
    const logLine = lastJsonLine(measurement.stderrTail, (value) => value.lfvaudit === 'run');
    if (logLine === undefined || typeof logLine.recordsRead !== 'number') return { failure: 'no run log line with recordsRead on stderr' };
    if (logLine.recordsRead !== recordsInData) return { failure: `read ${logLine.recordsRead} records of the ${recordsInData} in the data set` };
    if (logLine.complete !== true) return { failure: 'the run says it is incomplete' };
    return { events: logLine.recordsRead, note: `findings ${String(logLine.findings)}` };
  };
}

/** On each set, lfvaudit and DuckDB must match the same events with the mission rules; the baseline the same as today. */
function checkAgreement(rows: readonly BenchRow[]): { readonly agree: boolean; readonly lines: string[] } {
  const lines: string[] = [];
  let agree = true;
  const compare = (set: string, leftKey: string, rightKey: string, ruleIds: readonly string[] | undefined, what: string): void => {
    const left = rows.find((row) => row.set === set && row.key === leftKey && row.status === 'ok');
    const right = rows.find((row) => row.set === set && row.key === rightKey && row.status === 'ok');
    if (left?.matchesByRule === undefined || right?.matchesByRule === undefined) return;
    const differences = matchDifferences(
      ruleIds ?? Object.keys({ ...left.matchesByRule, ...right.matchesByRule }).sort(),
      left.matchesByRule,
      right.matchesByRule,
    );
    if (differences.length === 0) {
      lines.push(`${set}: ${left.label} and ${right.label} ${what} (${(left.matches ?? 0).toLocaleString('en-US')} matches)`);
    } else {
      agree = false;
      lines.push(`${set}: ${left.label} and ${right.label} DIFFER (${differences.length} rule × eventName counts): ${differences.slice(0, 5).join('; ')}`);
    }
  };
  for (const set of new Set(rows.map((row) => row.set))) {
    compare(set, 'lfvaudit-3', 'duckdb-3', MISSION_RULE_IDS, 'matched the same events, rule by rule and eventName by eventName');
    compare(set, 'lfvaudit-100', 'baseline-100', undefined, 'matched the same events');
    compare(set, 'lfvaudit-100', 's3-100', undefined, 'matched the same events');
  }
  return { agree, lines };
}

function lastJsonLine(text: string, accept: (value: Record<string, unknown>) => boolean): Record<string, unknown> | undefined {
  for (const line of text.split('\n').reverse()) {
    if (!line.startsWith('{')) continue;
    try {
      const value = JSON.parse(line) as unknown;
      if (typeof value === 'object' && value !== null && !Array.isArray(value) && accept(value as Record<string, unknown>))
        return value as Record<string, unknown>;
    } catch {
      // a line that merely starts with a brace
    }
  }
  return undefined;
}

/** The line most likely to say why a process failed. */
function firstProblem(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const line = lines.find((candidate) => /error|cannot|not found|unknown/i.test(candidate)) ?? lines[lines.length - 1] ?? 'no output';
  return line.length > 160 ? `${line.slice(0, 159)}…` : line;
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

function loadText(loadAverage: readonly number[]): string {
  return loadAverage.map((load) => load.toFixed(2)).join(' ');
}

function positiveInteger(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`--${name} expects a positive integer, got ${JSON.stringify(text)}`);
  return value;
}

function listOption<T extends string>(name: string, text: string | undefined, allowed: readonly T[], fallback: readonly T[]): readonly T[] {
  if (text === undefined) return fallback;
  const items = text.split(',').filter((item) => item !== '');
  const unknown = items.filter((item) => !(allowed as readonly string[]).includes(item));
  if (unknown.length > 0 || items.length === 0) throw new Error(`--${name}: unknown ${unknown.join(', ') || '(empty)'}; choose from ${allowed.join(', ')}`);
  return items as T[];
}

async function main(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      runs: { type: 'string' },
      startup: { type: 'boolean', default: false },
      rows: { type: 'string' },
      sets: { type: 'string' },
      baseline: { type: 'string' },
      large: { type: 'boolean', default: false },
      events: { type: 'string' },
      files: { type: 'string' },
    },
    strict: true,
  });
  return runBenchmark({
    runs: positiveInteger('runs', values.runs, DEFAULT_RUNS),
    startupRuns: positiveInteger('runs', values.runs, DEFAULT_STARTUP_RUNS),
    startupOnly: values.startup,
    rows: listOption('rows', values.rows, ROW_KEYS, DEFAULT_ROWS),
    sets: listOption('sets', values.sets, SETS, SETS),
    ...(values.baseline === undefined ? {} : { baseline: values.baseline }),
    large: values.large,
    records: positiveInteger('events', values.events, DEFAULT_EVENT_PARAMETERS.records),
    files: positiveInteger('files', values.files, DEFAULT_EVENT_PARAMETERS.files),
  });
}

if (isEntryPoint(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (exitCode) => {
      process.exitCode = exitCode;
    },
    (error: unknown) => {
      process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
