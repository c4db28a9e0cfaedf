import { realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { botocoreVersion, readBotocoreModels } from './event-catalog/botocore-models.js';
import { buildCatalog, catalogText } from './event-catalog/build-catalog.js';

/**
 * Regenerates catalog/aws-event-names.json, the event catalog `rules validate` checks event sources and
 * names against, from botocore's service models:
 *
 *     npm run build && node dist/scripts/generate-event-catalog.js "$(python3 -c 'import botocore, os; print(os.path.dirname(botocore.__file__))')"
 *
 * Why botocore rather than the Smithy models of aws/api-models-aws: every `pip install botocore` carries
 * the complete, current set (the AWS CLI runs on it), in a simple shape (`metadata.endpointPrefix`, the
 * `operations` map); the Smithy models' one extra, `cloudTrailEventSource`, is unreliable (see
 * event-catalog/event-sources.ts), so both sources need the same hand table of event sources.
 * CloudTrail-only events (console sign-in, service events) are added at load, in
 * src/ruleset/cloudtrail-only-events.ts, not here.
 */
export function generateEventCatalog(botocoreFolder: string, outputFile: string): { sources: number; names: number } {
  const catalog = buildCatalog(readBotocoreModels(botocoreFolder), `botocore ${botocoreVersion(botocoreFolder)}`);
  writeFileSync(outputFile, catalogText(catalog));
  const lists = Object.values(catalog.eventNames);
  return { sources: lists.length, names: lists.reduce((sum, names) => sum + names.length, 0) };
}

const startedAs = process.argv[1];
if (startedAs !== undefined && realpathSync(startedAs) === realpathSync(fileURLToPath(import.meta.url))) {
  const [botocoreFolder, output = path.join(import.meta.dirname, '..', '..', 'catalog', 'aws-event-names.json')] = process.argv.slice(2);
  if (botocoreFolder === undefined) {
    process.stderr.write('usage: node dist/scripts/generate-event-catalog.js BOTOCORE_PACKAGE_FOLDER [OUTPUT_JSON]\n');
    process.exitCode = 2;
  } else {
    const { sources, names } = generateEventCatalog(botocoreFolder, output);
    process.stdout.write(`${output}: ${sources} event sources, ${names} event names\n`);
  }
}
