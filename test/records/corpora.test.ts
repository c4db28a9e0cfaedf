import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import test from 'ava';

import type { CloudTrailRecord } from '../../src/records/cloudtrail-record.js';
import { eventTimeOf } from '../../src/records/event-time.js';
import { recordIdentity } from '../../src/records/record-identity.js';
import { unwrapDocument, type UnwrappedDocument } from '../../src/records/unwrap-document.js';
import { repoRoot } from '../support/repo-root.js';

/**
 * Conformance against public CloudTrail corpora (see SOURCES.md there), kept outside the repository:
 * every line of every corpus is fed to the unwrapper as a document of its own. The corpora are not
 * copied here; without them these tests are skipped.
 */
const CORPORA = join(repoRoot(), '..', 'shared', 'corpora');
const corporaPresent = existsSync(CORPORA);
const corpusFiles = corporaPresent
  ? readdirSync(CORPORA)
      .filter((name) => name.endsWith('.jsonl'))
      .sort()
  : [];

/** Files SOURCES.md says hold lines that are not CloudTrail records, and why. */
const FILES_WITH_NON_RECORDS = new Map([
  ['awsdocs_cloudtrail_user_guide_fragments.jsonl', 'userIdentity fragments, not whole records'],
  ['custodian_eventbridge_securityhub_findings.jsonl', 'Security Hub findings on EventBridge, not CloudTrail'],
  ['panther_cloudtrail_tests.jsonl', 'hand-edited fixtures: lower-case keys, enrichment fields only'],
]);

interface CorpusLine {
  readonly number: number;
  readonly text: string;
  readonly document: UnwrappedDocument;
}

/** Panther test rows carry the record in `.event`; every other line is a document as is. */
function documentText(line: string): string {
  const row = JSON.parse(line) as Record<string, unknown>;
  return Object.hasOwn(row, 'rule') && Object.hasOwn(row, 'test') && Object.hasOwn(row, 'event') ? JSON.stringify(row['event']) : line;
}

const corpusCache = new Map<string, CorpusLine[]>();

function readCorpus(file: string): CorpusLine[] {
  const cached = corpusCache.get(file);
  if (cached !== undefined) return cached;
  const lines = readFileSync(join(CORPORA, file), 'utf8')
    .split('\n')
    .map((text, index) => ({ number: index + 1, text }))
    .filter(({ text }) => text.trim() !== '')
    .map(({ number, text }) => ({ number, text, document: unwrapDocument(Buffer.from(documentText(text), 'utf8'), `${file}:${number}`) }));
  corpusCache.set(file, lines);
  return lines;
}

/** The time field eventTimeOf reads, as written. */
function writtenTime(record: CloudTrailRecord): unknown {
  return Object.hasOwn(record, 'eventTime') && record['eventTime'] !== null ? record['eventTime'] : record['@timestamp'];
}

for (const file of corpusFiles) {
  (corporaPresent ? test : test.skip)(`every line of ${file} yields a record or a reported problem`, (t) => {
    for (const line of readCorpus(file)) {
      t.true(line.document.records.length + line.document.problems.length >= 1, `line ${line.number}`);
    }
  });

  const nonRecords = FILES_WITH_NON_RECORDS.get(file);
  if (nonRecords === undefined) {
    test(`every line of ${file} is exactly one record`, (t) => {
      for (const line of readCorpus(file)) {
        t.is(line.document.records.length, 1, `line ${line.number}`);
        t.deepEqual(line.document.problems, [], `line ${line.number}`);
      }
    });
  } else {
    test(`the only problems in ${file} are lines that are not CloudTrail (${nonRecords})`, (t) => {
      const codes = new Set(readCorpus(file).flatMap((line) => line.document.problems.map((problem) => problem.code)));
      t.deepEqual([...codes], ['not-cloudtrail']);
    });
  }

  test(`every record of ${file} has an identity, and a time unless its time is missing or a placeholder`, (t) => {
    const records = readCorpus(file).flatMap((line) => line.document.records.map((record) => ({ line: line.number, record })));
    const withoutIdentity = records.filter(({ record }) => recordIdentity(record) === '').map(({ line }) => line);
    const unreadTimes = records
      .filter(({ record }) => {
        const written = writtenTime(record);
        return typeof written === 'string' && /^\d{4}-\d{2}-\d{2}/.test(written) && eventTimeOf(record) === undefined;
      })
      .map(({ line, record }) => `line ${line}: ${String(writtenTime(record))}`);
    t.deepEqual(withoutIdentity, []);
    t.deepEqual(unreadTimes, []);
  });
}

(corporaPresent ? test : test.skip)('LookupEvents wrappers unwrap to the same records as their parsed counterparts', (t) => {
  const raw = readCorpus('plaso_lookupevents_raw.jsonl').flatMap((line) => line.document.records);
  const parsed = readCorpus('plaso_lookupevents_cloudtrail.jsonl').flatMap((line) => line.document.records);
  t.true(raw.length > 0);
  t.deepEqual(raw, parsed);
});

(corporaPresent ? test : test.skip)('EventBridge envelopes unwrap to their detail', (t) => {
  for (const line of readCorpus('custodian_eventbridge_cloudtrail_envelopes.jsonl')) {
    t.deepEqual(line.document.records, [(JSON.parse(line.text) as { detail: unknown }).detail]);
  }
});

(corporaPresent ? test : test.skip)("a LookupEvents wrapper's local EventTime and its record's eventTime are the same instant", (t) => {
  for (const line of readCorpus('plaso_lookupevents_raw.jsonl')) {
    const wrapper = JSON.parse(line.text) as { EventTime: string };
    const [record] = line.document.records;
    t.not(record, undefined);
    if (record !== undefined) t.is(eventTimeOf({ eventTime: wrapper.EventTime }), eventTimeOf(record));
  }
});
