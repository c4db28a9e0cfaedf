import test from 'ava';

import { isDigestPath } from '../../src/records/digest-file.js';

test('a file under a CloudTrail-Digest folder is a digest path', (t) => {
  t.true(
    isDigestPath(
      'AWSLogs/123456789012/CloudTrail-Digest/us-east-1/2025/10/20/123456789012_CloudTrail-Digest_us-east-1_trail_us-east-1_20251020T130512Z.json.gz',
    ),
  );
  t.true(isDigestPath('s3://bucket/AWSLogs/o-abc123/123456789012/CloudTrail-Digest/eu-west-1/2025/10/21/x.json.gz'));
  t.true(isDigestPath('C:\\logs\\AWSLogs\\123456789012\\CloudTrail-Digest\\us-east-1\\x.json.gz'));
});

test('a log file under CloudTrail is not a digest path', (t) => {
  t.false(isDigestPath('AWSLogs/123456789012/CloudTrail/us-east-1/2025/10/20/123456789012_CloudTrail_us-east-1_20251020T1200Z_Xk3p9Q.json.gz'));
});

test('only a whole folder name counts, not a file or folder that merely contains the words', (t) => {
  t.false(isDigestPath('logs/CloudTrail-Digest'));
  t.false(isDigestPath('logs/CloudTrail-Digest-copies/x.json'));
  t.false(isDigestPath('logs/my-CloudTrail-Digest/x.json'));
});
