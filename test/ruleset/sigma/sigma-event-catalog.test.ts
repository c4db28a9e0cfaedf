import test from 'ava';
import { loadSigmaText, sigmaRuleText } from './sigma-fixture.js';

// A Sigma rule loads as written; event names and sources that no event has are warnings at their
// position, with the catalog's did-you-mean, since a list's other values may still match.

async function problems(detection: string[]): Promise<{ lines: string[]; loaded: number }> {
  const loaded = await loadSigmaText(sigmaRuleText(detection.join('\n')));
  return { lines: loaded.diagnostics.map((d) => `${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}`), loaded: loaded.definitions.length };
}

test('a misspelt event name or source is a warning at its value, with a did-you-mean, and the rule still loads', async (t) => {
  const { lines, loaded } = await problems([
    'selection:',
    '    eventSource: cloudtrail.amazonaws.com',
    '    eventName:',
    '        - StopLoging',
    '        - DeleteTrail',
    'condition: selection',
  ]);
  t.is(loaded, 1);
  t.deepEqual(lines, ["19:15: warning unknown-event-name: 'StopLoging' is not an event name of the rule's event source (did you mean 'StopLogging'?)"]);

  // A source the catalog does not hold leaves the names of the rule unchecked.
  const source = await problems(['selection:', '    eventSource: s4.amazonaws.com', '    eventName: PutObjcet', 'condition: selection']);
  t.is(source.loaded, 1);
  t.deepEqual(source.lines, ["17:22: warning unknown-event-source: 's4.amazonaws.com' is not an AWS event source (did you mean 's3.amazonaws.com'?)"]);
});

test('names compared by a part are checked by that part; catalogued names, any case, are not reported', async (t) => {
  const { lines } = await problems([
    'selection:',
    '    eventSource: CloudTrail.amazonaws.com',
    '    eventName|startswith: Stpo',
    'known:',
    '    eventSource: cloudtrail.amazonaws.com',
    '    eventName|contains: logging',
    '    eventName: stoplogging',
    'wildcard:',
    '    eventSource: cloudtrail.amazonaws.com',
    '    eventName: "Delete*"',
    'condition: 1 of them',
  ]);
  t.deepEqual(lines, [
    "18:31: warning unknown-event-name: no event name of the rule's event source has the prefix 'Stpo' in the event catalog (botocore 1.43.11 and CloudTrail-only events), so it matches nothing unless the service is newer than the catalog",
  ]);
});
