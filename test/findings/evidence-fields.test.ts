import test from 'ava';
import fc from 'fast-check';
import type { FindingGroup } from '../../src/grouping/finding-group.js';
import { mergeFieldsOf, SAMPLE_EVENTS_FIELD, sampleEventsOfFields } from '../../src/findings/evidence-fields.js';

const sampleEvent = fc.record({
  time: fc.option(fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }), { nil: undefined }),
  id: fc.oneof(
    fc.uuid(),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 300 }),
    fc.string({ unit: fc.constantFrom('a', '"', '\\', '\n', '\u0000', '\u2028', '…', '\ud800'), minLength: 1, maxLength: 12 }),
  ),
});

test('sample events are JSON.stringify of [time, id] pairs, as many as fit in 2048 characters, "…" last when any are left out', (t) => {
  fc.assert(
    fc.property(fc.array(sampleEvent, { maxLength: 10 }), fc.boolean(), (values, more) => {
      const group = { sampleEvents: { values, more }, coverage: new Map() } as unknown as FindingGroup;
      const items = values.map((event) => [event.time === undefined ? null : new Date(event.time).toISOString(), event.id]);
      let expected = JSON.stringify(['…']);
      for (let count = items.length; count >= 0; count -= 1) {
        const omitted = more || count < items.length;
        const text = JSON.stringify(omitted ? [...items.slice(0, count), '…'] : items.slice(0, count));
        if (text.length <= 2048) {
          expected = text;
          break;
        }
      }
      const fields = mergeFieldsOf(group, 0);
      t.is(fields[SAMPLE_EVENTS_FIELD], expected);
      t.is(sampleEventsOfFields(fields).values.length, (JSON.parse(expected) as unknown[]).filter((item) => item !== '…').length);
    }),
    { numRuns: 1000, seed: 13 },
  );
});
