import test from 'ava';
import { RecordFacts } from '../../src/evaluate/record-facts.js';

test('a path gets one slot however often it is asked for, and its prefixes their own', (t) => {
  const facts = new RecordFacts();
  const type = facts.slotOf('userIdentity.type');
  const arn = facts.slotOf('userIdentity.arn');
  t.is(facts.slotOf('userIdentity.type'), type);
  t.not(type, arn);
  t.not(facts.slotOf('userIdentity'), type);
  t.is(facts.slotOf(''), facts.slotOf(''));
  // The record slot is not the slot of a path with an empty segment.
  t.not(facts.slotOf('.'), facts.slotOf(''));
});

test('each record reads its own values: nothing read for one record is kept for the next', (t) => {
  const facts = new RecordFacts();
  const type = facts.slotOf('userIdentity.type');
  const identity = facts.slotOf('userIdentity');
  const whole = facts.slotOf('');
  const first = { userIdentity: { type: 'Root' } };
  facts.begin(first);
  t.is(facts.read(type), 'Root');
  t.is(facts.read(whole), first);
  const second = { userIdentity: { type: 'IAMUser' } };
  facts.begin(second);
  t.is(facts.read(type), 'IAMUser');
  t.is(facts.read(whole), second);
  facts.begin({ eventName: 'CreateDataset' });
  t.is(facts.read(identity), undefined);
  t.is(facts.read(type), undefined);
  // The same object again, changed in between: read afresh.
  second.userIdentity.type = 'AssumedRole';
  facts.begin(second);
  t.is(facts.read(type), 'AssumedRole');
});

test('the walk is readFactPath: own properties, list elements by decimal index only', (t) => {
  const facts = new RecordFacts();
  const first = facts.slotOf('resources.0.ARN');
  const leadingZero = facts.slotOf('resources.00.ARN');
  const length = facts.slotOf('resources.length');
  const inherited = facts.slotOf('userIdentity.toString');
  const ownProto = facts.slotOf('requestParameters.__proto__.polluted');
  facts.begin(
    JSON.parse('{"resources": [{"ARN": "a"}], "userIdentity": {}, "requestParameters": {"__proto__": {"polluted": "yes"}}}') as Record<string, unknown>,
  );
  t.is(facts.read(first), 'a');
  t.is(facts.read(leadingZero), undefined);
  t.is(facts.read(length), undefined);
  t.is(facts.read(inherited), undefined);
  t.is(facts.read(ownProto), 'yes');
});

test('slots handed out after records were read work like the first ones', (t) => {
  const facts = new RecordFacts();
  const early = facts.slotOf('a');
  facts.begin({ a: 1 });
  t.is(facts.read(early), 1);
  const late = Array.from({ length: 40 }, (_, index) => facts.slotOf(`b.${String(index)}`));
  facts.begin({ a: 2, b: Array.from({ length: 40 }, (_, index) => index * 10) });
  t.is(facts.read(early), 2);
  t.deepEqual(
    late.map((slot) => facts.read(slot)),
    Array.from({ length: 40 }, (_, index) => index * 10),
  );
});
