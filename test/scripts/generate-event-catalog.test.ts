import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import test, { type ExecutionContext } from 'ava';
import { generateEventCatalog } from '../../scripts/generate-event-catalog.js';
import { tempFolder } from '../support/temp-folder.js';

/** A botocore package folder with the given service models (`service/version` → model JSON, gzipped when the key ends in .gz). */
async function botocoreFolder(t: ExecutionContext, models: Readonly<Record<string, unknown>>): Promise<string> {
  const folder = tempFolder(t, 'botocore');
  await mkdir(path.join(folder, 'data'));
  await writeFile(path.join(folder, '__init__.py'), "import logging\n\n__version__ = '1.99.7'\n");
  await writeFile(path.join(folder, 'data', '_retry.json'), '{}');
  for (const [key, model] of Object.entries(models)) {
    const [service = '', version = '', compressed] = key.split(/[/]|(?=\.gz$)/);
    const versionFolder = path.join(folder, 'data', service, version);
    await mkdir(versionFolder, { recursive: true });
    const text = JSON.stringify(model);
    if (compressed === '.gz') await writeFile(path.join(versionFolder, 'service-2.json.gz'), gzipSync(text));
    else await writeFile(path.join(versionFolder, 'service-2.json'), text);
  }
  return folder;
}

const model = (endpointPrefix: string, operations: Record<string, { name?: string }>) => ({ metadata: { endpointPrefix }, operations });

test('the catalog lists each event source with its operations, from the newest model of each service', async (t) => {
  const folder = await botocoreFolder(t, {
    'cloudtrail/2013-11-01.gz': model('cloudtrail', { StopLogging: {}, DeleteTrail: {} }),
    'cloudfront/2019-03-26': model('cloudfront', { OldOperation: {} }),
    'cloudfront/2020-05-31.gz': model('cloudfront', { UpdateDistribution: { name: 'UpdateDistribution2020_05_31' } }),
    'ses/2010-12-01': model('email', { VerifyEmailIdentity: {} }),
    'sesv2/2019-09-27': model('email', { CreateEmailIdentity: {} }),
    'lambda/2015-03-31': model('lambda', { CreateFunction: {} }),
  });
  const output = path.join(folder, 'catalog.json');
  t.deepEqual(generateEventCatalog(folder, output), { sources: 4, names: 9 });
  t.is(
    await readFile(output, 'utf8'),
    `{
  "generatedFrom": "botocore 1.99.7",
  "eventNames": {
    "cloudfront.amazonaws.com": ["UpdateDistribution","UpdateDistribution2020_05_31"],
    "cloudtrail.amazonaws.com": ["DeleteTrail","StopLogging"],
    "lambda.amazonaws.com": ["CreateFunction","CreateFunction20150331","CreateFunction20150331v2"],
    "ses.amazonaws.com": ["CreateEmailIdentity","VerifyEmailIdentity"]
  }
}
`,
  );
});

test('endpoint prefixes CloudTrail does not write get the source it writes, and the IoT data plane it never logs is left out', async (t) => {
  const folder = await botocoreFolder(t, {
    'pricing/2017-10-15': model('api.pricing', { GetProducts: {} }),
    'timestream-write/2018-11-01': model('ingest.timestream', { WriteRecords: {} }),
    'timestream-query/2018-11-01': model('query.timestream', { Query: {} }),
    'marketplace-catalog/2018-09-17': model('catalog.marketplace', { ListEntities: {} }),
    'iot-data/2015-05-28': model('data-ats.iot', { Publish: {}, GetThingShadow: {} }),
    'iot-jobs-data/2017-09-29': model('data.jobs.iot', { UpdateJobExecution: {} }),
  });
  const output = path.join(folder, 'catalog.json');
  t.deepEqual(generateEventCatalog(folder, output), { sources: 3, names: 4 });
  t.deepEqual(JSON.parse(await readFile(output, 'utf8')), {
    generatedFrom: 'botocore 1.99.7',
    eventNames: {
      'marketplacecatalog.amazonaws.com': ['ListEntities'],
      'pricelist.amazonaws.com': ['GetProducts'],
      'timestream.amazonaws.com': ['Query', 'WriteRecords'],
    },
  });
});

test('a model without its endpoint prefix stops the generation rather than leave its service out', async (t) => {
  const folder = await botocoreFolder(t, { 'broken/2020-01-01': { metadata: {}, operations: { Anything: {} } } });
  t.throws(() => generateEventCatalog(folder, path.join(folder, 'catalog.json')), {
    message: 'botocore model broken/2020-01-01 has no metadata.endpointPrefix',
  });
});

test('a folder without service models is not a botocore package', async (t) => {
  const folder = await botocoreFolder(t, {});
  t.throws(() => generateEventCatalog(folder, path.join(folder, 'catalog.json')), {
    message: /no service models under .*: is this botocore's package folder\?/,
  });
});
