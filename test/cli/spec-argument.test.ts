import test from 'ava';
import { parseSinkArgument, parseSourceArgument } from '../../src/cli/spec-argument.js';
import { UsageError } from '../../src/cli/usage-error.js';

test('source specs name files, CloudTrail regions and S3 locations', (t) => {
  t.deepEqual(parseSourceArgument('file:logs', '/work'), { type: 'file', path: '/work/logs' });
  t.deepEqual(parseSourceArgument('cloudtrail', '/work'), { type: 'cloudtrail' });
  t.deepEqual(parseSourceArgument('cloudtrail:us-east-1,eu-west-1', '/work'), { type: 'cloudtrail', regions: ['us-east-1', 'eu-west-1'] });
  t.deepEqual(parseSourceArgument('s3://trail-bucket/org/logs', '/work'), { type: 's3', bucket: 'trail-bucket', prefix: 'org/logs' });
});

test('sink specs name files, stdout and Security Hub', (t) => {
  t.deepEqual(parseSinkArgument('file:/tmp/f.json', '/work'), { type: 'file', path: '/tmp/f.json' });
  t.deepEqual(parseSinkArgument('stdout', '/work'), { type: 'stdout' });
  t.deepEqual(parseSinkArgument('securityhub:eu-west-1', '/work'), { type: 'securityhub', region: 'eu-west-1' });
});

test('an unknown spec is a usage error listing the accepted forms', (t) => {
  t.regex(t.throws(() => parseSourceArgument('ftp://x', '/w'), { instanceOf: UsageError })?.message ?? '', /expected file:PATH, cloudtrail/);
  t.regex(t.throws(() => parseSinkArgument('file:', '/w'), { instanceOf: UsageError })?.message ?? '', /expected file:PATH, stdout/);
});
