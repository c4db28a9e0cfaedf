import test, { type ExecutionContext } from 'ava';
import { CloudTrailSource } from '../../../src/sources/cloudtrail/lookup-events-source.js';
import { sourceFromSpec } from '../../../src/sources/source-from-spec.js';
import type { AwsEmulator } from '../../support/aws-emulator/index.js';
import { collect, emulatorWith, eventIdsOf, itemsOfKind, lfvEvents, lookupRequests, recentWindow } from './fixtures.js';

// These tests configure the SDK the way a deployment does, through the environment, so they run one
// at a time. Each worker has its own copy of process.env.

const window = recentWindow();

/** Sets (or, with undefined, removes) environment variables for the rest of the test. */
function withEnvironment(t: ExecutionContext, variables: Readonly<Record<string, string | undefined>>): void {
  const saved = new Map(Object.keys(variables).map((name) => [name, process.env[name]]));
  const apply = (values: ReadonlyMap<string, string | undefined>): void => {
    for (const [name, value] of values) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  apply(new Map(Object.entries(variables)));
  t.teardown(() => apply(saved));
}

/** The standard chain pointed at the emulator: endpoint for CloudTrail, static keys, no profile files. */
function standardChainTo(emulator: AwsEmulator, region: string | undefined): Record<string, string | undefined> {
  const credential = emulator.credentials[0];
  return {
    AWS_ENDPOINT_URL_CLOUDTRAIL: emulator.endpoint,
    AWS_ACCESS_KEY_ID: credential?.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credential?.secretAccessKey,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: undefined,
    AWS_PROFILE: undefined,
    AWS_CONFIG_FILE: '/nonexistent/lfvaudit-test/config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/lfvaudit-test/credentials',
  };
}

test.serial('with no regions configured, the SDK’s region from AWS_REGION is read, with endpoint and keys from the environment', async (t) => {
  const emulator = await emulatorWith(t, [
    ...lfvEvents(2, { region: 'eu-west-1', firstMs: window.start.getTime() }),
    ...lfvEvents(2, { region: 'us-east-1', firstMs: window.start.getTime() }),
  ]);
  withEnvironment(t, standardChainTo(emulator, 'eu-west-1'));
  const source = new CloudTrailSource();

  const items = await collect(source.read(window));

  t.is(source.description, 'cloudtrail');
  t.deepEqual(eventIdsOf(items).sort(), ['eu-west-1-0000', 'eu-west-1-0001']);
  t.deepEqual(
    itemsOfKind(items, 'records').map((item) => item.origin),
    ['cloudtrail:eu-west-1'],
  );
  t.deepEqual(
    lookupRequests(emulator).map((entry) => entry.region),
    ['eu-west-1'],
  );
});

test.serial('with no region anywhere, the source asks nothing and says where a region can be set', async (t) => {
  const emulator = await emulatorWith(t, lfvEvents(1, { firstMs: window.start.getTime() }));
  withEnvironment(t, standardChainTo(emulator, undefined));

  const items = await collect(new CloudTrailSource().read(window));

  t.deepEqual(items, [
    {
      kind: 'unreadable',
      origin: 'cloudtrail',
      reason:
        'no AWS region (Region is missing): list regions in the cloudtrail source (--source cloudtrail:us-east-1,eu-west-1), or set AWS_REGION or a region in the AWS profile',
    },
  ]);
  t.is(lookupRequests(emulator).length, 0);
});

test.serial('a cloudtrail source spec builds a CloudTrailSource for its regions', async (t) => {
  const emulator = await emulatorWith(t, [
    ...lfvEvents(1, { region: 'eu-west-1', firstMs: window.start.getTime() }),
    ...lfvEvents(1, { region: 'us-east-1', firstMs: window.start.getTime() }),
  ]);
  withEnvironment(t, standardChainTo(emulator, 'ap-south-1'));
  const source = sourceFromSpec({ type: 'cloudtrail', regions: ['us-east-1', 'eu-west-1'] });

  const items = await collect(source.read(window));

  t.is(source.description, 'cloudtrail:us-east-1,eu-west-1');
  t.deepEqual(eventIdsOf(items).sort(), ['eu-west-1-0000', 'us-east-1-0000']);
});

test.serial('a region listed twice is read once, under one pacer', async (t) => {
  const emulator = await emulatorWith(t, lfvEvents(1, { region: 'us-east-1', firstMs: window.start.getTime() }));
  withEnvironment(t, standardChainTo(emulator, undefined));
  const source = new CloudTrailSource({ regions: ['us-east-1', 'us-east-1'] });

  const items = await collect(source.read(window));

  t.is(source.description, 'cloudtrail:us-east-1');
  t.deepEqual(eventIdsOf(items), ['us-east-1-0000']);
  t.is(lookupRequests(emulator).length, 1);
});
