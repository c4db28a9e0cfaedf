import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';

/**
 * Findings a piece holds: one, so that a piece (about 5 KB a finding, up to about 120 KB for a busy
 * one) stays under V8's large-object size (128 KB). Large strings go straight to the old generation:
 * 64-finding pieces made the heap of a 2 GB run grow by 500 MB while it wrote its findings, and pieces
 * of 4 still put 18 MB of busy findings' text there (one: 10 MB). JSON.stringify's cost per call is
 * small beside a finding's text.
 */
const PER_PIECE = 1;

/** What JSON.stringify with an indent of 2 puts before the first and after the last of a non-empty Findings list. */
const LIST_HEAD = '{\n  "Findings": [\n';
const LIST_TAIL = '\n  ]\n}';

/**
 * `JSON.stringify({ Findings: [...findings], ...after }, null, 2)` and a newline, in pieces: the same
 * bytes without ever holding the whole text (86 MB for 16,000 findings), its UTF-8 copy, or more than a
 * piece's findings (they are taken from the iterable as the text is written). Each piece is
 * JSON.stringify of `{ Findings: <a few findings> }` less its first and last lines, so the findings come
 * out already indented at their depth; the pieces are slices of that text, never joined to others, so
 * encoding them copies nothing twice.
 */
export function* findingsJsonText(findings: Iterable<AwsSecurityFinding>, after: Readonly<Record<string, unknown>> = {}): Generator<string> {
  let batch: AwsSecurityFinding[] = [];
  let written = 0;
  for (const finding of findings) {
    batch.push(finding);
    if (batch.length === PER_PIECE) {
      yield* piecesOf(batch, written === 0);
      written += batch.length;
      batch = [];
    }
  }
  if (batch.length > 0) {
    yield* piecesOf(batch, written === 0);
    written += batch.length;
  }
  const rest = Object.keys(after).length === 0 ? '' : `,\n${membersText(after)}`;
  yield written === 0 ? `{\n  "Findings": []${rest}\n}\n` : `\n  ]${rest}\n}\n`;
}

function* piecesOf(batch: readonly AwsSecurityFinding[], first: boolean): Generator<string> {
  const text = JSON.stringify({ Findings: batch }, null, 2);
  const end = text.length - LIST_TAIL.length;
  if (first) {
    yield text.slice(0, end);
  } else {
    yield ',\n';
    yield text.slice(LIST_HEAD.length, end);
  }
}

/**
 * One finding's text as {@link findingsJsonText} writes it inside the list (indented at its depth, no
 * separator): what a worker renders for the main thread to put between the others' (rendered-findings.ts).
 */
export function findingJsonText(finding: AwsSecurityFinding): string {
  const text = JSON.stringify({ Findings: [finding] }, null, 2);
  return text.slice(LIST_HEAD.length, text.length - LIST_TAIL.length);
}

/**
 * The bytes {@link findingsJsonText} gives for the same findings and `after`, from each finding's text
 * already rendered ({@link findingJsonText}, UTF-8) and in order: the list's head, separators and tail
 * around them.
 */
export async function* findingsJsonPieces(findingTexts: AsyncIterable<Uint8Array>, after: Readonly<Record<string, unknown>> = {}): AsyncGenerator<string | Uint8Array> {
  let written = 0;
  for await (const text of findingTexts) {
    yield written === 0 ? LIST_HEAD : ',\n';
    yield text;
    written += 1;
  }
  const rest = Object.keys(after).length === 0 ? '' : `,\n${membersText(after)}`;
  yield written === 0 ? `{\n  "Findings": []${rest}\n}\n` : `\n  ]${rest}\n}\n`;
}

/** An object's members as JSON.stringify(…, null, 2) writes them inside the outer braces: `  "Key": value` lines. */
function membersText(members: Readonly<Record<string, unknown>>): string {
  return JSON.stringify(members, null, 2).slice(2, -2);
}
