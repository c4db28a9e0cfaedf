import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, extname, resolve } from 'node:path';
import { excerpt, type Diagnostic } from '../shared/diagnostics.js';
import { isRecordObject, type CloudTrailRecord } from '../records/cloudtrail-record.js';
import { findJsonSyntaxError } from '../records/json-syntax-error.js';
import { positionAt } from '../records/text-position.js';
import { ListSubstitution, NO_LISTS, substituteRuleLists, type NamedLists } from './named-lists.js';
import { PositionedDiagnostics } from './positioned-diagnostics.js';
import { isMapping, ownField } from './raw-value.js';
import { buildRuleDefinition } from './rule-definition.js';
import type { RuleShapeCheck } from './rule-schema.js';
import { checkRuleSemantics } from './rule-semantics.js';
import type { LoadedRuleItem } from './sigma/link-sigma-correlations.js';
import { sigmaFileItems } from './sigma/sigma-file.js';
import { isSigmaDocument } from './sigma/sigma-rule.js';
import { onlyDocument, parseYamlDocuments, type TextPosition } from './yaml-document.js';

/** Rule files and test event files are small; anything larger is a mistake or an attack, not a rule. */
export const MAX_RULE_FILE_BYTES = 1024 * 1024;

export interface RuleFileResult {
  /**
   * The file's rules, when it has no errors (it may have warnings): one, or for a Sigma file of several
   * documents its rules and correlations, each with where its id is written (to point at a duplicate id).
   */
  readonly items: readonly (LoadedRuleItem & { readonly idPosition: TextPosition })[];
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Reads, parses and validates one rule file: its named-list references replaced by the lists' values
 * (so that every check below sees the values, and a mistake in them names its list), then shape, then
 * semantics, then its test event files.
 * A file whose documents have `logsource`, `detection` or `correlation` holds Sigma rules, translated instead.
 */
export async function loadRuleFile(file: string, builtIn: boolean, shape: RuleShapeCheck, lists: NamedLists = NO_LISTS): Promise<RuleFileResult> {
  const text = await readSmallTextFile(file);
  if (typeof text !== 'string') return { items: [], diagnostics: [text] };
  const documents = parseYamlDocuments(text, file);
  if (!documents.ok) return { items: [], diagnostics: documents.diagnostics };
  if (documents.documents.some((document) => isSigmaDocument(document.value))) {
    const sigma = sigmaFileItems(documents.documents, file, text, builtIn);
    return { items: sigma.items, diagnostics: [...sigma.diagnostics].sort(byPosition) };
  }
  const parsed = onlyDocument(documents, file);
  if (!parsed.ok) return { items: [], diagnostics: parsed.diagnostics };

  const { positions } = parsed.document;
  const report: PositionedDiagnostics = new PositionedDiagnostics(file, positions, (pointer) => substitution.noteFor(pointer));
  const substitution = new ListSubstitution(lists, report, file);
  const value = substituteRuleLists(parsed.document.value, substitution);
  shape.check(value, report);
  checkRuleSemantics(value, basename(file, extname(file)), report);
  const testEvents = await loadTestEvents(value, file, report);
  const diagnostics = [...report.diagnostics, ...testEvents.diagnostics].sort(byPosition);

  if (report.errorCount > 0 || testEvents.diagnostics.length > 0 || !isMapping(value)) return { items: [], diagnostics };
  const definition = buildRuleDefinition(value, { file, builtIn, positions, testEvents: testEvents.events });
  return { items: [{ kind: 'rule', definition, idPosition: positions.valueAt('/id') }], diagnostics };
}

function byPosition(a: Diagnostic, b: Diagnostic): number {
  return a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);
}

/** The file's text, or a diagnostic when it cannot be read or is too large to be a rule. */
export async function readSmallTextFile(file: string): Promise<string | Diagnostic> {
  try {
    const { size } = await stat(file);
    if (size > MAX_RULE_FILE_BYTES) {
      return {
        file,
        code: 'file-too-large',
        message: `the file is ${size} bytes; rule and event files are limited to ${MAX_RULE_FILE_BYTES} bytes (1 MiB)`,
        severity: 'error',
      };
    }
    return await readFile(file, 'utf8');
  } catch (error) {
    return { file, code: 'file-unreadable', message: `cannot read the file: ${readFailure(error)}`, severity: 'error' };
  }
}

const READ_FAILURES: Readonly<Record<string, string>> = { ENOENT: 'no such file', EACCES: 'permission denied', EISDIR: 'it is a folder' };

/** Why a file could not be read, in words for the common cases. */
export function readFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code === undefined ? String(error) : (READ_FAILURES[code] ?? code);
}

interface TestEvents {
  readonly events: ReadonlyMap<number, CloudTrailRecord>;
  /** Mistakes inside event files, placed in those files. */
  readonly diagnostics: readonly Diagnostic[];
}

/** Reads each test's eventFile (relative to the rule file): it must hold one JSON CloudTrail record. */
async function loadTestEvents(rule: unknown, ruleFile: string, report: PositionedDiagnostics): Promise<TestEvents> {
  const events = new Map<number, CloudTrailRecord>();
  const diagnostics: Diagnostic[] = [];
  const tests = isMapping(rule) ? ownField(rule, 'tests') : undefined;
  if (!Array.isArray(tests)) return { events, diagnostics };
  for (const [index, test] of tests.entries()) {
    const eventFile = isMapping(test) ? ownField(test, 'eventFile') : undefined;
    if (typeof eventFile !== 'string' || eventFile === '') continue;
    const testName = isMapping(test) ? ownField(test, 'name') : undefined;
    const pointer = `/tests/${index}/eventFile`;
    const file = resolve(dirname(ruleFile), eventFile);
    const text = await readSmallTextFile(file);
    if (typeof text !== 'string') {
      report.error(pointer, 'event-file', `eventFile ${excerpt(eventFile)} (relative to this rule file): ${text.message}`);
      continue;
    }
    const record = parseRecordJson(text, file);
    if ('code' in record) diagnostics.push({ ...record, message: `${record.message} (eventFile of test '${String(testName)}' in ${basename(ruleFile)})` });
    else events.set(index, record.record);
  }
  return { events, diagnostics };
}

function parseRecordJson(text: string, file: string): { record: CloudTrailRecord } | Diagnostic {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // JSON.parse's own message quotes the text around the mistake; the scanner's names one character.
    const syntax = findJsonSyntaxError(text);
    if (syntax === undefined) throw error;
    return { file, ...positionAt(text, syntax.offset), code: 'event-file', message: `invalid JSON: ${syntax.message}`, severity: 'error' };
  }
  if (isRecordObject(value)) {
    if (Array.isArray(ownField(value, 'Records'))) {
      return {
        file,
        line: 1,
        column: 1,
        code: 'event-file',
        message: 'this is a CloudTrail log file ({"Records": [...]}); an eventFile holds one record',
        severity: 'error',
      };
    }
    return { record: value };
  }
  return { file, line: 1, column: 1, code: 'event-file', message: 'an eventFile holds one CloudTrail record (a JSON object)', severity: 'error' };
}
