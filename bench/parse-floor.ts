import { isEntryPoint } from './entry-point.js';
import { listTrailFiles, readTrailFile } from './trail-files.js';
import { scriptReport } from './script-report.js';

/**
 * The floor every evaluator in a Node process pays: read each `.json.gz` under a folder, gunzip, JSON.parse,
 * count the records. Nothing else, on one thread.
 *
 *   node dist/bench/parse-floor.js bench/data/events-typical
 */
function main(argv: readonly string[]): void {
  const [folder] = argv;
  if (folder === undefined || argv.length !== 1) throw new Error('usage: parse-floor FOLDER');
  const started = performance.now();
  const files = listTrailFiles(folder);
  let events = 0;
  for (const file of files) events += readTrailFile(file).length;
  process.stdout.write(`${JSON.stringify(scriptReport(events, started, { files: files.length }))}\n`);
}

if (isEntryPoint(import.meta.url)) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`parse-floor: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  }
}
