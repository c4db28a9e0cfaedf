import test from 'ava';
import { awsLogsPrefix, dayFolder, deliveredInRange, deliveryMinuteOf, deliveryRange, utcDaysTouched } from '../../../src/sources/s3/trail-layout.js';

test('a prefix names the AWSLogs/ folder under it, with or without slashes or AWSLogs itself', (t) => {
  t.deepEqual(['', '/', 'AWSLogs', 'AWSLogs/'].map(awsLogsPrefix), ['AWSLogs/', 'AWSLogs/', 'AWSLogs/', 'AWSLogs/']);
  t.deepEqual(['logs', 'logs/', '/logs/', 'logs/AWSLogs/', 'a/b'].map(awsLogsPrefix), [
    'logs/AWSLogs/',
    'logs/AWSLogs/',
    'logs/AWSLogs/',
    'logs/AWSLogs/',
    'a/b/AWSLogs/',
  ]);
});

test('reads the delivery minute from a log file’s name', (t) => {
  const key = 'AWSLogs/111122223333/CloudTrail/us-east-2/2015/08/01/111122223333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz';
  t.is(deliveryMinuteOf(key), Date.parse('2015-08-01T02:10:00Z'));
});

test('a name without a valid delivery time has none', (t) => {
  t.is(deliveryMinuteOf('AWSLogs/1/CloudTrail/us-east-1/2025/10/01/notes.json'), undefined);
  t.is(deliveryMinuteOf('x/111122223333_CloudTrail_us-east-2_20150230T0210Z_u.json.gz'), undefined);
  t.is(deliveryMinuteOf('x/111122223333_CloudTrail_us-east-2_20150801T2460Z_u.json.gz'), undefined);
});

test('files that can hold a window’s events are those delivered from its start minute to an hour after its end', (t) => {
  const range = deliveryRange({ start: new Date('2025-10-01T10:00:30Z'), end: new Date('2025-10-01T11:00:00Z') });
  const delivered = (time: string): boolean => deliveredInRange(Date.parse(time), range);
  t.false(delivered('2025-10-01T09:59:00Z'));
  t.true(delivered('2025-10-01T10:00:00Z'));
  t.true(delivered('2025-10-01T11:59:00Z'));
  t.false(delivered('2025-10-01T12:00:00Z'));
});

test('lists the UTC days a range touches, and none for an empty range', (t) => {
  t.deepEqual(utcDaysTouched(Date.parse('2025-12-31T23:00:00Z'), Date.parse('2026-01-02T00:00:00Z')), ['2025-12-31', '2026-01-01']);
  t.deepEqual(utcDaysTouched(Date.parse('2025-10-01T00:00:00Z'), Date.parse('2025-10-01T00:00:00.001Z')), ['2025-10-01']);
  t.deepEqual(utcDaysTouched(Date.parse('2025-10-01T05:00:00Z'), Date.parse('2025-10-01T05:00:00Z')), []);
  t.is(dayFolder('2025-10-01'), '2025/10/01/');
});
