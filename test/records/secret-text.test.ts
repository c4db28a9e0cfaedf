import test from 'ava';
import fc from 'fast-check';
import { redactSecrets } from '../../src/records/secret-text.js';

const SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const SESSION_TOKEN = 'IQoJb3JpZ2luX2VjEHEaCXVzLWVhc3QtMSJHMEUCIQDexampleexampleexampleexample/Zm9vYmFy==';

const REDACTED: readonly (readonly [string, string])[] = [
  ['Login failed: password=hunter2&user=bob', 'Login failed: password=[redacted]&user=bob'],
  ['Login failed: password = hunter2 for bob', 'Login failed: password = [redacted] for bob'],
  ['{"dbPassword":"hun\\"ter2","user":"bob"}', '{"dbPassword":"[redacted]","user":"bob"}'],
  ["{'client_secret': 'abc def', 'id': 1}", "{'client_secret': '[redacted]', 'id': 1}"],
  ['PASSWD: hunter2', 'PASSWD: [redacted]'],
  [`aws_secret_access_key=${SECRET_ACCESS_KEY}`, 'aws_secret_access_key=[redacted]'],
  [`"SecretAccessKey": "${SECRET_ACCESS_KEY}"`, '"SecretAccessKey": "[redacted]"'],
  ['curl/8.1 api_key=abc123 x-api-key: def456', 'curl/8.1 api_key=[redacted] x-api-key: [redacted]'],
  ['refresh_token=abc;path=/', 'refresh_token=[redacted];path=/'],
  [
    'uploads/x.jpg?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20250101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20250101T000000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Security-Token=FwoGZXIvYXdzEBAaDH&X-Amz-Signature=9f8e7d',
    'uploads/x.jpg?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=[redacted]&X-Amz-Date=20250101T000000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Security-Token=[redacted]&X-Amz-Signature=[redacted]',
  ],
  [
    'photo.jpg?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1&Signature=abc%2Bdef',
    'photo.jpg?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1&Signature=[redacted]',
  ],
  ['Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig', 'Authorization: Bearer [redacted]'],
  ['"authorization":"Basic dXNlcjpwYXNz"', '"authorization":"Basic [redacted]"'],
  [
    'Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20250101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=fe5f80f77d5fa3beca038a248ff027',
    'Authorization: AWS4-HMAC-SHA256 [redacted], SignedHeaders=host, Signature=[redacted]',
  ],
  ['sent with Bearer abcdefgh12345678 by the client', 'sent with Bearer [redacted] by the client'],
  [`AKIAIOSFODNN7EXAMPLE:${SECRET_ACCESS_KEY}`, 'AKIAIOSFODNN7EXAMPLE:[redacted]'],
  [`keys ASIAIOSFODNN7EXAMPLE ${SECRET_ACCESS_KEY} leaked`, 'keys ASIAIOSFODNN7EXAMPLE [redacted] leaked'],
  [`the session ${SESSION_TOKEN} expired`, 'the session [redacted] expired'],
  ['FQoGZXIvYXdzEJr//////////wEaDM1234567890abcdefXYZ', '[redacted]'],
  ['AQoDYXdzEJr1234567890abcdefghijklmnopqrstuvwxyz', '[redacted]'],
  ['could not connect to postgres://admin:hunter2@db.internal:5432/x', 'could not connect to postgres://admin:[redacted]@db.internal:5432/x'],
];

for (const [text, expected] of REDACTED) {
  test(`redacts: ${text.slice(0, 70)}`, (t) => {
    t.is(redactSecrets(text), expected);
  });
}

/** Event text that names secrets without holding any: it must come out unchanged. */
const KEPT = [
  'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf',
  'User: arn:aws:sts::123456789012:assumed-role/Admin/MyUser is not authorized to perform: secretsmanager:GetSecretValue on resource: prod/db',
  'The security token included in the request is invalid.',
  'GetSessionToken',
  'GetSecretValue',
  'sts.amazonaws.com',
  'AKIAIOSFODNN7EXAMPLE',
  'aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64.amzn.2 prompt/off command/secretsmanager.get-secret-value',
  'aws-sdk-js/3.637.0 ua/2.0 os/linux#6.1 lang/js md/nodejs#20.17.0 api/lookoutvision#3.637.0',
  '198.51.100.7',
  '2001:db8::7',
  'arn:aws:lookoutvision:us-east-1:123456789012:project/token-counter',
  'https://lookoutvision.us-east-1.amazonaws.com/2020-11-20/projects',
  'a bearer of bad news',
  '5d41402abc4b2a76b9719d911017c592aabbccdd',
];

test('event text that names secrets without holding one is kept as it is', (t) => {
  for (const text of KEPT) t.is(redactSecrets(text), text);
});

test('property: redacting twice changes nothing', (t) => {
  const piece = fc.oneof(
    fc.constantFrom(
      'password=',
      'token: ',
      '"secret":"',
      'Authorization: Bearer ',
      'Bearer ',
      'AKIAIOSFODNN7EXAMPLE:',
      'IQoJb3JpZ2lu',
      '://u:',
      '@',
      '&',
      '"',
      "'",
      ' ',
      ',',
      ';',
      '=',
      ':',
    ),
    fc.string({ unit: fc.constantFrom(...'abcXYZ0189+/=%-_.'), maxLength: 44 }),
  );
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
      const once = redactSecrets(pieces.join(''));
      return redactSecrets(once) === once;
    }),
    { seed: 20251125, numRuns: 2000 },
  );
  t.pass();
});

test('a megabyte of text built to make a backtracking pattern slow is redacted all the same (the patterns are linear by construction)', (t) => {
  const megabyte = 1024 * 1024;
  const hostile = [
    'password'.repeat(megabyte / 8),
    `token${'a'.repeat(megabyte)}`,
    `${'://'.repeat(megabyte / 3)}`,
    `Bearer ${' '.repeat(megabyte)}`,
    `"password":"${'\\"'.repeat(megabyte / 2)}`,
    `${'AKIA'.repeat(megabyte / 4)}`,
    `${'IQoJb3JpZ2lu'.repeat(megabyte / 12)}`,
  ];
  for (const text of hostile) t.is(typeof redactSecrets(text), 'string');
  t.is(redactSecrets(`"password":"${'\\"'.repeat(1000)}`), '"password":"[redacted]');
});
