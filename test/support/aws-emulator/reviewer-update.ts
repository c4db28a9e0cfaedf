/**
 * BatchUpdateFindings' side: the fields a reviewer may change
 * (https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_BatchUpdateFindings.html), checked,
 * and applied to a stored finding. UpdatedAt and RecordState are not among them.
 */
import { AwsApiError } from './api-error.js';
import { SEVERITY_LABELS, typesProblem, VERIFICATION_STATES, WORKFLOW_STATUSES } from './asff-validation.js';
import { isJsonObject, jsonCopy, ownField, ownString, type JsonObject } from './json-value.js';
import type { AsffFinding } from './securityhub.js';
import { labelForNormalized, normalizedForLabel } from './severity.js';

export function parseFindingIdentifiers(value: unknown): { Id: string; ProductArn: string }[] {
  if (!Array.isArray(value) || value.length < 1 || value.length > 100) {
    throw invalidInput('FindingIdentifiers must be a list of 1 to 100 identifiers.');
  }
  return value.map((identifier) => {
    const id = isJsonObject(identifier) ? ownString(identifier, 'Id') : undefined;
    const productArn = isJsonObject(identifier) ? ownString(identifier, 'ProductArn') : undefined;
    if (id === undefined || productArn === undefined) throw invalidInput('Each FindingIdentifier needs an Id and a ProductArn.');
    return { Id: id, ProductArn: productArn };
  });
}

export interface ReviewerUpdate {
  readonly [field: string]: unknown;
}

/** The fields BatchUpdateFindings may change, checked; anything else in the request is ignored, as the API has no such members. */
export function parseReviewerUpdate(input: JsonObject): ReviewerUpdate {
  const update: Record<string, unknown> = {};
  const note = ownField(input, 'Note');
  if (note !== undefined) {
    const text = isJsonObject(note) ? ownString(note, 'Text') : undefined;
    const updatedBy = isJsonObject(note) ? ownString(note, 'UpdatedBy') : undefined;
    if (text === undefined || updatedBy === undefined || text.length > 512 || updatedBy.length > 512) {
      throw invalidInput('Note needs Text and UpdatedBy of at most 512 characters.');
    }
    update.Note = { Text: text, UpdatedBy: updatedBy };
  }
  const severity = ownField(input, 'Severity');
  if (severity !== undefined) {
    const label = isJsonObject(severity) ? ownField(severity, 'Label') : undefined;
    const normalized = isJsonObject(severity) ? ownField(severity, 'Normalized') : undefined;
    const product = isJsonObject(severity) ? ownField(severity, 'Product') : undefined;
    if (
      !isJsonObject(severity) ||
      (label === undefined && normalized === undefined && product === undefined) ||
      (label !== undefined && !(typeof label === 'string' && SEVERITY_LABELS.has(label))) ||
      (normalized !== undefined && !isPercentage(normalized)) ||
      (product !== undefined && typeof product !== 'number')
    ) {
      throw invalidInput(`Severity needs a Label of ${[...SEVERITY_LABELS].join(', ')}, a Normalized from 0 to 100, or a Product.`);
    }
    update.Severity = { Label: label, Normalized: normalized, Product: product };
  }
  checkedEnum(input, 'VerificationState', VERIFICATION_STATES, update);
  for (const field of ['Confidence', 'Criticality']) {
    const value = ownField(input, field);
    if (value === undefined) continue;
    if (!isPercentage(value)) throw invalidInput(`${field} must be an integer from 0 to 100.`);
    update[field] = value;
  }
  const types = ownField(input, 'Types');
  if (types !== undefined) {
    const problem = typesProblem('Types', types);
    if (problem !== undefined) throw invalidInput(problem);
    update.Types = types;
  }
  const userDefined = ownField(input, 'UserDefinedFields');
  if (userDefined !== undefined) {
    if (!isJsonObject(userDefined) || Object.keys(userDefined).length > 50 || Object.values(userDefined).some((value) => typeof value !== 'string')) {
      throw invalidInput('UserDefinedFields must map at most 50 names to string values.');
    }
    update.UserDefinedFields = userDefined;
  }
  const workflow = ownField(input, 'Workflow');
  if (workflow !== undefined) {
    const status = isJsonObject(workflow) ? ownString(workflow, 'Status') : undefined;
    if (status === undefined || !WORKFLOW_STATUSES.has(status)) {
      throw invalidInput(`Workflow.Status must be one of ${[...WORKFLOW_STATUSES].join(', ')}.`);
    }
    update.Workflow = { Status: status };
  }
  const related = ownField(input, 'RelatedFindings');
  if (related !== undefined) {
    if (!Array.isArray(related) || related.length > 10) throw invalidInput('RelatedFindings must be a list of at most 10 findings.');
    update.RelatedFindings = parseFindingIdentifiers(related);
  }
  if (Object.keys(update).length === 0) {
    throw invalidInput('BatchUpdateFindings needs at least one field to update.');
  }
  return update;
}

function checkedEnum(input: JsonObject, field: string, allowed: ReadonlySet<string>, update: Record<string, unknown>): void {
  const value = ownField(input, field);
  if (value === undefined) return;
  if (typeof value !== 'string' || !allowed.has(value)) throw invalidInput(`${field} must be one of ${[...allowed].join(', ')}.`);
  update[field] = value;
}

/** Applies the update to a stored finding; answers the names of the fields it changed. */
export function applyReviewerUpdate(finding: AsffFinding, update: ReviewerUpdate, now: number): string[] {
  for (const [field, value] of Object.entries(update)) {
    if (field === 'Note') {
      finding.Note = { ...(value as JsonObject), UpdatedAt: new Date(now).toISOString() };
    } else if (field === 'Severity') {
      finding.Severity = updatedSeverity(ownField(finding, 'Severity'), value as JsonObject);
    } else {
      finding[field] = jsonCopy(value);
    }
  }
  return Object.keys(update);
}

function updatedSeverity(current: unknown, update: JsonObject): JsonObject {
  const before = isJsonObject(current) ? current : {};
  const label =
    ownString(update, 'Label') ??
    (ownField(update, 'Normalized') !== undefined ? labelForNormalized(ownField(update, 'Normalized')) : (ownString(before, 'Label') ?? 'INFORMATIONAL'));
  const normalized = ownField(update, 'Normalized');
  const severity: AsffFinding = { ...before, Label: label, Normalized: typeof normalized === 'number' ? normalized : normalizedForLabel(label) };
  const product = ownField(update, 'Product');
  if (typeof product === 'number') severity.Product = product;
  return severity;
}

function isPercentage(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 100;
}

function invalidInput(message: string): AwsApiError {
  return new AwsApiError('InvalidInputException', 400, message);
}
