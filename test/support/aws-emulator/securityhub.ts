/**
 * Security Hub findings per account and region, and the three operations lfvaudit uses:
 * BatchImportFindings, GetFindings and BatchUpdateFindings.
 *
 * Import rules follow https://docs.aws.amazon.com/securityhub/latest/userguide/finding-update-batchimportfindings.html:
 * - an existing Id is replaced only by a finding whose UpdatedAt is later; otherwise the import is
 *   silently ignored (and still counted as a success);
 * - Note, UserDefinedFields, VerificationState and Workflow belong to reviewers: an import can set
 *   them when it creates a finding, never afterwards;
 * - Confidence, Criticality, RelatedFindings, Severity and Types follow FindingProviderFields,
 *   unless a reviewer changed them with BatchUpdateFindings;
 * - RecordState is set only by imports (ACTIVE by default); a NOTIFIED or RESOLVED workflow goes
 *   back to NEW when the record state goes from ARCHIVED to ACTIVE or compliance regresses from PASSED.
 * BatchUpdateFindings never changes UpdatedAt or RecordState.
 */
import { AwsApiError } from './api-error.js';
import { asffViolation, MAX_FINDING_BYTES } from './asff-validation.js';
import { compileFilters, compileSortCriteria, type SortKey } from './finding-filters.js';
import { isJsonObject, jsonCopy, ownField, ownString, type JsonObject } from './json-value.js';
import type { AccountRegion, OperationRequest } from './operation.js';
import type { PageTokens } from './page-token.js';
import { applyReviewerUpdate, parseFindingIdentifiers, parseReviewerUpdate } from './reviewer-update.js';
import { labelForNormalized, normalizedForLabel } from './severity.js';

/** A finding in AWS Security Finding Format, as JSON. */
export type AsffFinding = { [field: string]: unknown };

/** The part of Security Hub tests use: `emulator.state.securityHub`. */
export interface SecurityHubState {
  /** Every stored finding of an account and region, ordered by ProductArn then Id. */
  findings(scope: AccountRegion): AsffFinding[];
  finding(scope: AccountRegion, identifier: { readonly ProductArn: string; readonly Id: string }): AsffFinding | undefined;
}

const MAX_REQUEST_BYTES = 6 * 1024 * 1024;
const REVIEWER_FIELDS = ['Note', 'UserDefinedFields', 'VerificationState', 'Workflow'] as const;
const PROVIDER_FIELDS: readonly string[] = ['Confidence', 'Criticality', 'RelatedFindings', 'Severity', 'Types'];
const DEFAULT_PRODUCT_NAME = 'Default';
const DEFAULT_COMPANY_NAME = 'Personal';

interface StoredFinding {
  finding: AsffFinding;
  /** Provider fields a reviewer set with BatchUpdateFindings; imports no longer change them. */
  readonly reviewerSet: Set<string>;
}

interface ImportFailure {
  Id: string;
  ErrorCode: string;
  ErrorMessage: string;
}

/** The default product ARN of an account: the only one a custom integration may import into. */
export function defaultProductArn(scope: AccountRegion): string {
  return `arn:aws:securityhub:${scope.region}:${scope.accountId}:product/${scope.accountId}/default`;
}

export class SecurityHubFindings implements SecurityHubState {
  private readonly stores = new Map<string, Map<string, StoredFinding>>();

  constructor(private readonly pageTokens: PageTokens) {}

  findings(scope: AccountRegion): AsffFinding[] {
    return [...this.store(scope).entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, stored]) => jsonCopy(stored.finding));
  }

  finding(scope: AccountRegion, identifier: { readonly ProductArn: string; readonly Id: string }): AsffFinding | undefined {
    const stored = this.store(scope).get(findingKey(identifier.ProductArn, identifier.Id));
    return stored === undefined ? undefined : jsonCopy(stored.finding);
  }

  batchImportFindings(request: OperationRequest): { FailedCount: number; SuccessCount: number; FailedFindings: ImportFailure[] } {
    const { caller, now, fault } = request;
    const findings = isJsonObject(request.input) ? ownField(request.input, 'Findings') : undefined;
    if (!Array.isArray(findings) || findings.length < 1 || findings.length > 100) {
      throw invalidInput('Findings must be a list of 1 to 100 findings.');
    }
    if (request.bodyBytes > MAX_REQUEST_BYTES) {
      throw invalidInput(`The request is ${request.bodyBytes} bytes; the maximum is ${MAX_REQUEST_BYTES} bytes (6 MB).`);
    }
    const productArn = defaultProductArn(caller);
    for (const finding of findings) {
      const given = isJsonObject(finding) ? ownField(finding, 'ProductArn') : undefined;
      if (typeof given === 'string' && given !== productArn) {
        throw invalidInput(`Account ${caller.accountId} cannot import findings for product ${given}; use ${productArn}.`);
      }
    }

    const failures: ImportFailure[] = [];
    const store = this.store(caller);
    for (const finding of findings) {
      const id = (isJsonObject(finding) ? ownString(finding, 'Id') : undefined) ?? '';
      const failure = importFailure(finding, request);
      if (fault?.kind === 'failedFindings' && (fault.findingIds === undefined || fault.findingIds.includes(id))) {
        failures.push({ Id: id, ErrorCode: fault.errorCode, ErrorMessage: fault.errorMessage ?? `Injected failure: ${fault.errorCode}` });
      } else if (failure !== undefined) {
        failures.push({ Id: id, ErrorCode: 'InvalidInput', ErrorMessage: failure });
      } else {
        importFinding(store, finding as JsonObject, request.caller, now);
      }
    }
    return { FailedCount: failures.length, SuccessCount: findings.length - failures.length, FailedFindings: failures };
  }

  getFindings(request: OperationRequest): { Findings: AsffFinding[]; NextToken?: string } {
    const input = isJsonObject(request.input) ? request.input : {};
    const filters = ownField(input, 'Filters');
    const sortCriteria = ownField(input, 'SortCriteria');
    const matches = compileFilters(filters, request.now);
    const order = compileSortCriteria(sortCriteria);
    const maxResults = ownField(input, 'MaxResults') ?? 100;
    if (typeof maxResults !== 'number' || !Number.isInteger(maxResults) || maxResults < 1 || maxResults > 100) {
      throw invalidInput('MaxResults must be an integer from 1 to 100.');
    }
    const binding = { filters: filters ?? null, sort: sortCriteria ?? null };
    const nextToken = ownField(input, 'NextToken');
    let cursor: SortKey[] | undefined;
    if (nextToken !== undefined) {
      const read = typeof nextToken === 'string' ? this.pageTokens.read(nextToken, binding) : undefined;
      if (!Array.isArray(read)) throw invalidInput('The NextToken is invalid or was issued for other Filters or SortCriteria.');
      cursor = read as SortKey[];
    }

    const ordered = [...this.store(request.caller).values()]
      .map((stored) => stored.finding)
      .filter(matches)
      .map((finding) => ({ finding, keys: order.keys(finding) }))
      .sort((a, b) => order.compare(a.keys, b.keys))
      .filter((entry) => cursor === undefined || order.compare(entry.keys, cursor) > 0);
    const page = ordered.slice(0, maxResults);
    const output: { Findings: AsffFinding[]; NextToken?: string } = { Findings: page.map((entry) => jsonCopy(entry.finding)) };
    const last = page.at(-1);
    if (last !== undefined && ordered.length > page.length) output.NextToken = this.pageTokens.issue(binding, last.keys);
    return output;
  }

  batchUpdateFindings(request: OperationRequest): {
    ProcessedFindings: { Id: string; ProductArn: string }[];
    UnprocessedFindings: { FindingIdentifier: { Id: string; ProductArn: string }; ErrorCode: string; ErrorMessage: string }[];
  } {
    const input = isJsonObject(request.input) ? request.input : {};
    const identifiers = parseFindingIdentifiers(ownField(input, 'FindingIdentifiers'));
    const update = parseReviewerUpdate(input);
    const store = this.store(request.caller);
    const processed: { Id: string; ProductArn: string }[] = [];
    const unprocessed: { FindingIdentifier: { Id: string; ProductArn: string }; ErrorCode: string; ErrorMessage: string }[] = [];
    for (const identifier of identifiers) {
      const stored = store.get(findingKey(identifier.ProductArn, identifier.Id));
      if (stored === undefined) {
        unprocessed.push({ FindingIdentifier: identifier, ErrorCode: 'FindingNotFound', ErrorMessage: 'Finding Not Found' });
        continue;
      }
      const changed = applyReviewerUpdate(stored.finding, update, request.now);
      for (const field of changed.filter((name) => PROVIDER_FIELDS.includes(name))) stored.reviewerSet.add(field);
      processed.push(identifier);
    }
    return { ProcessedFindings: processed, UnprocessedFindings: unprocessed };
  }

  private store(scope: AccountRegion): Map<string, StoredFinding> {
    const key = `${scope.accountId}/${scope.region}`;
    let store = this.stores.get(key);
    if (store === undefined) {
      store = new Map();
      this.stores.set(key, store);
    }
    return store;
  }
}

function findingKey(productArn: string, id: string): string {
  return `${productArn}\n${id}`;
}

function importFailure(finding: unknown, request: OperationRequest): string | undefined {
  if (Buffer.byteLength(JSON.stringify(finding)) > MAX_FINDING_BYTES) {
    return `The finding is larger than the maximum of ${MAX_FINDING_BYTES} bytes (240 KB).`;
  }
  const violation = asffViolation(finding);
  if (violation !== undefined) return violation;
  const account = ownString(finding as JsonObject, 'AwsAccountId');
  if (account !== request.caller.accountId) {
    return `AwsAccountId ${account} is not the calling account ${request.caller.accountId}; findings for the default product must come from their own account.`;
  }
  return undefined;
}

function importFinding(store: Map<string, StoredFinding>, incoming: JsonObject, scope: AccountRegion, now: number): void {
  const key = findingKey(String(incoming.ProductArn), String(incoming.Id));
  const existing = store.get(key);
  if (existing !== undefined && !(Date.parse(String(incoming.UpdatedAt)) > Date.parse(String(existing.finding.UpdatedAt)))) {
    return;
  }
  const finding: AsffFinding = jsonCopy({ ...incoming });
  const providerFields = providerFieldsOf(incoming);
  finding.FindingProviderFields = providerFields;
  for (const field of PROVIDER_FIELDS) {
    if (existing?.reviewerSet.has(field) === true) setOrDelete(finding, field, existing.finding[field]);
    else if (field === 'Severity') finding.Severity = severityFromProvider(providerFields, incoming);
    else setOrDelete(finding, field, ownField(providerFields, field));
  }
  finding.ProductName = DEFAULT_PRODUCT_NAME;
  finding.CompanyName = DEFAULT_COMPANY_NAME;
  finding.Region = scope.region;
  finding.RecordState = ownString(incoming, 'RecordState') ?? 'ACTIVE';
  finding.ProcessedAt = new Date(now).toISOString();
  const productFields = ownField(incoming, 'ProductFields');
  finding.ProductFields = {
    ...(isJsonObject(productFields) ? productFields : {}),
    'aws/securityhub/FindingId': `${String(incoming.ProductArn)}/${String(incoming.Id)}`,
    'aws/securityhub/ProductName': DEFAULT_PRODUCT_NAME,
    'aws/securityhub/CompanyName': DEFAULT_COMPANY_NAME,
  };
  if (existing === undefined) {
    finding.Workflow ??= { Status: 'NEW' };
  } else {
    for (const field of REVIEWER_FIELDS) setOrDelete(finding, field, existing.finding[field]);
    if (reopens(existing.finding, finding)) finding.Workflow = { Status: 'NEW' };
  }
  store.set(key, { finding, reviewerSet: existing?.reviewerSet ?? new Set() });
}

/** FindingProviderFields as given, completed from the top-level fields the provider set instead. */
function providerFieldsOf(incoming: JsonObject): AsffFinding {
  const given = ownField(incoming, 'FindingProviderFields');
  const providerFields: AsffFinding = isJsonObject(given) ? jsonCopy({ ...given }) : {};
  for (const field of PROVIDER_FIELDS) {
    const topLevel = ownField(incoming, field);
    if (ownField(providerFields, field) !== undefined || topLevel === undefined) continue;
    if (field === 'Severity' && isJsonObject(topLevel)) {
      const label = ownString(topLevel, 'Label') ?? labelForNormalized(ownField(topLevel, 'Normalized'));
      const original = ownString(topLevel, 'Original');
      providerFields.Severity = original === undefined ? { Label: label } : { Label: label, Original: original };
    } else {
      providerFields[field] = jsonCopy(topLevel);
    }
  }
  return providerFields;
}

function severityFromProvider(providerFields: AsffFinding, incoming: JsonObject): JsonObject {
  const provider = ownField(providerFields, 'Severity');
  const topLevel = ownField(incoming, 'Severity');
  const top = isJsonObject(topLevel) ? topLevel : {};
  const label =
    (isJsonObject(provider) ? ownString(provider, 'Label') : undefined) ?? ownString(top, 'Label') ?? labelForNormalized(ownField(top, 'Normalized'));
  const givenNormalized = ownField(top, 'Normalized');
  const severity: AsffFinding = {
    Label: label,
    Normalized: typeof givenNormalized === 'number' && labelForNormalized(givenNormalized) === label ? givenNormalized : normalizedForLabel(label),
  };
  const original = (isJsonObject(provider) ? ownString(provider, 'Original') : undefined) ?? ownString(top, 'Original');
  if (original !== undefined) severity.Original = original;
  if (typeof ownField(top, 'Product') === 'number') severity.Product = ownField(top, 'Product');
  return severity;
}

/** https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_Workflow.html: when NOTIFIED or RESOLVED returns to NEW. */
function reopens(before: AsffFinding, after: AsffFinding): boolean {
  const status = nestedString(before, 'Workflow', 'Status');
  if (status !== 'NOTIFIED' && status !== 'RESOLVED') return false;
  const unarchived = before.RecordState === 'ARCHIVED' && after.RecordState === 'ACTIVE';
  const regressed =
    nestedString(before, 'Compliance', 'Status') === 'PASSED' &&
    ['WARNING', 'FAILED', 'NOT_AVAILABLE'].includes(nestedString(after, 'Compliance', 'Status') ?? '');
  return unarchived || regressed;
}

function nestedString(finding: AsffFinding, field: string, member: string): string | undefined {
  const value = ownField(finding, field);
  return isJsonObject(value) ? ownString(value, member) : undefined;
}

function setOrDelete(finding: AsffFinding, field: string, value: unknown): void {
  if (value === undefined) delete finding[field];
  else finding[field] = jsonCopy(value);
}

function invalidInput(message: string): AwsApiError {
  return new AwsApiError('InvalidInputException', 400, message);
}
