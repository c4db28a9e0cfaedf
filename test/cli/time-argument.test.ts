import test from 'ava';
import { parseTimeArgument } from '../../src/cli/time-argument.js';
import { UsageError } from '../../src/cli/usage-error.js';

const now = new Date('2025-10-20T12:00:00Z');

test('a duration is counted back from now', (t) => {
  t.is(parseTimeArgument('--since', '24h', now).toISOString(), '2025-10-19T12:00:00.000Z');
  t.is(parseTimeArgument('--since', '7d', now).toISOString(), '2025-10-13T12:00:00.000Z');
  t.is(parseTimeArgument('--since', '90m', now).toISOString(), '2025-10-20T10:30:00.000Z');
  t.is(parseTimeArgument('--since', '2w', now).toISOString(), '2025-10-06T12:00:00.000Z');
});

test('a date or time without a zone is UTC, like CloudTrail times', (t) => {
  t.is(parseTimeArgument('--since', '2025-10-01', now).toISOString(), '2025-10-01T00:00:00.000Z');
  t.is(parseTimeArgument('--since', '2025-10-01T08:30', now).toISOString(), '2025-10-01T08:30:00.000Z');
  t.is(parseTimeArgument('--since', '2025-10-01T08:30:00+02:00', now).toISOString(), '2025-10-01T06:30:00.000Z');
});

test('anything else is a usage error that shows the accepted forms', (t) => {
  const error = t.throws(() => parseTimeArgument('--until', 'yesterday', now), { instanceOf: UsageError });
  t.regex(error?.message ?? '', /--until "yesterday": expected a valid ISO time .* or a duration/);
  t.throws(() => parseTimeArgument('--until', '2025-13-45', now), { instanceOf: UsageError });
});
