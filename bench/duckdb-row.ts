import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { connectDuckDb, installedDuckDb } from './duckdb-peer.js';
import { isEntryPoint } from './entry-point.js';
import { MISSION_RULE_IDS, MISSION_SQL_MACROS, missionRulesQuery } from './mission-rules.js';
import { scriptReport } from './script-report.js';

/**
 * The peer row: DuckDB on one thread running the three mission rules as SQL over the gzipped delivery files
 * (`read_json` reads them directly). Prints one JSON line: records read, and per rule the distinct events
 * matched by eventName, which the benchmark compares with lfvaudit's findings.
 *
 *   node dist/bench/duckdb-row.js --peers bench/data/peers --events bench/data/events-typical
 */
async function main(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({ args: [...argv], options: { peers: { type: 'string' }, events: { type: 'string' } }, strict: true });
  if (values.peers === undefined || values.events === undefined) throw new Error('usage: duckdb-row --peers FOLDER --events FOLDER');
  const entry = installedDuckDb(values.peers);
  if (entry === undefined) throw new Error(`DuckDB is not installed in ${values.peers}`);
  const started = performance.now();
  const connection = await connectDuckDb(entry, 1);
  for (const macro of MISSION_SQL_MACROS) await connection.run(macro);
  const rows = (await connection.runAndReadAll(missionRulesQuery(join(values.events, '**', '*.json.gz')))).getRowObjectsJson();
  let events = 0;
  const matches: Record<string, Record<string, number>> = Object.fromEntries(MISSION_RULE_IDS.map((id) => [id, {}]));
  for (const row of rows) {
    events += Number(row.records);
    for (const id of MISSION_RULE_IDS) {
      const count = Number(row[id]);
      const byName = matches[id] as Record<string, number>;
      if (count > 0) byName[String(row.eventName)] = count;
    }
  }
  process.stdout.write(`${JSON.stringify(scriptReport(events, started, { threads: 1, matchesByRule: matches }))}\n`);
}

if (isEntryPoint(import.meta.url)) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`duckdb-row: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  });
}
