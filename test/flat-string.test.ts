import test from 'ava';
import { flatString } from '../src/flat-string.js';

test('flatString gives back the very string it is given, whatever it holds', (t) => {
  const built = JSON.stringify(['lfv-mfa-required', '123456789012', 'eu-west-1', ['principal', `arn:aws:iam::123456789012:role/${'x'.repeat(40)}`]]);
  for (const text of [built, `${built}${built}`, '', '42', '  7  ', 'Infinity', 'x'.repeat(100_000)]) t.is(flatString(text), text);
});
