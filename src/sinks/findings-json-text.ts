import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';

/**
 * `JSON.stringify({ Findings: [...findings], ...after }, null, 2)` and a newline, in pieces: the same
 * bytes without ever holding the whole text (tens of megabytes for a large run) or more than one finding, taken
 * from the iterable as the text is written. Each finding is its own piece, indented at its depth (JSON
 * text has no line breaks inside strings, so indenting every line is exact).
 */
export function* findingsJsonText(findings: Iterable<AwsSecurityFinding>, after: Readonly<Record<string, unknown>> = {}): Generator<string> {
  let written = 0;
  for (const finding of findings) {
    yield written === 0 ? '{\n  "Findings": [\n' : ',\n';
    yield JSON.stringify(finding, null, 2).replace(/^/gm, '    ');
    written += 1;
  }
  const rest = Object.keys(after).length === 0 ? '' : `,\n${membersText(after)}`;
  yield written === 0 ? `{\n  "Findings": []${rest}\n}\n` : `\n  ]${rest}\n}\n`;
}

/** An object's members as JSON.stringify(…, null, 2) writes them inside the outer braces: `  "Key": value` lines. */
function membersText(members: Readonly<Record<string, unknown>>): string {
  return JSON.stringify(members, null, 2).slice(2, -2);
}
