/**
 * The checks BatchImportFindings applies to each finding before storing it. A failure becomes a
 * FailedFindings entry (ErrorCode "InvalidInput"); the message imitates Security Hub's own, which
 * comes from a JSON Schema validator ("Finding does not adhere to Amazon Finding Format. data should
 * have required property 'Title'").
 *
 * Limits: https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-findings-format-syntax.html
 * and https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_AwsSecurityFinding.html
 */
import { isJsonObject, ownField, type JsonObject } from './json-value.js';

export const ASFF_SCHEMA_VERSION = '2018-10-08';
export const MAX_FINDING_BYTES = 240 * 1024;

export const SEVERITY_LABELS = new Set(['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL']);
export const WORKFLOW_STATUSES = new Set(['NEW', 'NOTIFIED', 'RESOLVED', 'SUPPRESSED']);
export const VERIFICATION_STATES = new Set(['UNKNOWN', 'TRUE_POSITIVE', 'FALSE_POSITIVE', 'BENIGN_POSITIVE']);
const RECORD_STATES = new Set(['ACTIVE', 'ARCHIVED']);
const COMPLIANCE_STATUSES = new Set(['PASSED', 'WARNING', 'FAILED', 'NOT_AVAILABLE']);
const TYPE_NAMESPACES = new Set(['Software and Configuration Checks', 'TTPs', 'Effects', 'Unusual Behaviors', 'Sensitive Data Identifications']);

/** Maximum string lengths of the top-level fields the checks cover. */
const REQUIRED_STRINGS: readonly (readonly [field: string, maxLength: number])[] = [
  ['SchemaVersion', Number.MAX_SAFE_INTEGER],
  ['Id', 512],
  ['ProductArn', Number.MAX_SAFE_INTEGER],
  ['GeneratorId', 512],
  ['AwsAccountId', Number.MAX_SAFE_INTEGER],
  ['CreatedAt', Number.MAX_SAFE_INTEGER],
  ['UpdatedAt', Number.MAX_SAFE_INTEGER],
  ['Title', 256],
  ['Description', 1024],
];

const TIMESTAMP_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$/;

/** The reason a finding cannot be imported, or undefined when it passes. */
export function asffViolation(finding: unknown): string | undefined {
  const problem = firstProblem(finding);
  return problem === undefined ? undefined : `Finding does not adhere to Amazon Finding Format. ${problem}`;
}

function firstProblem(finding: unknown): string | undefined {
  if (!isJsonObject(finding)) return 'data should be object';
  for (const [field, maxLength] of REQUIRED_STRINGS) {
    const value = ownField(finding, field);
    if (value === undefined) return `data should have required property '${field}'`;
    const problem = stringProblem(`data.${field}`, value, maxLength);
    if (problem !== undefined) return problem;
  }
  if (finding.SchemaVersion !== ASFF_SCHEMA_VERSION) return `data.SchemaVersion should be equal to '${ASFF_SCHEMA_VERSION}'`;
  for (const field of ['CreatedAt', 'UpdatedAt', 'FirstObservedAt', 'LastObservedAt']) {
    const value = ownField(finding, field);
    if (value !== undefined && !isTimestamp(value)) return `data.${field} should match format "date-time"`;
  }
  return (
    resourcesProblem(ownField(finding, 'Resources')) ??
    typesProblem('data.Types', ownField(finding, 'Types')) ??
    productFieldsProblem(ownField(finding, 'ProductFields')) ??
    severityProblem(finding) ??
    enumProblem('data.RecordState', ownField(finding, 'RecordState'), RECORD_STATES) ??
    enumProblem('data.VerificationState', ownField(finding, 'VerificationState'), VERIFICATION_STATES) ??
    nestedEnumProblem(finding, 'Workflow', 'Status', WORKFLOW_STATUSES) ??
    nestedEnumProblem(finding, 'Compliance', 'Status', COMPLIANCE_STATUSES)
  );
}

export function isTimestamp(value: unknown): value is string {
  return typeof value === 'string' && TIMESTAMP_PATTERN.test(value) && Number.isFinite(Date.parse(value));
}

function stringProblem(path: string, value: unknown, maxLength: number): string | undefined {
  if (typeof value !== 'string') return `${path} should be string`;
  if (value.trim() === '') return `${path} should match pattern ".*\\S.*"`;
  if (value.length > maxLength) return `${path} should NOT be longer than ${maxLength} characters`;
  return undefined;
}

function resourcesProblem(resources: unknown): string | undefined {
  if (resources === undefined) return "data should have required property 'Resources'";
  if (!Array.isArray(resources)) return 'data.Resources should be array';
  if (resources.length < 1) return 'data.Resources should NOT have fewer than 1 items';
  if (resources.length > 32) return 'data.Resources should NOT have more than 32 items';
  for (const [index, resource] of resources.entries()) {
    if (!isJsonObject(resource)) return `data.Resources[${index}] should be object`;
    for (const field of ['Type', 'Id']) {
      const value = ownField(resource, field);
      if (value === undefined) return `data.Resources[${index}] should have required property '${field}'`;
      const problem = stringProblem(`data.Resources[${index}].${field}`, value, Number.MAX_SAFE_INTEGER);
      if (problem !== undefined) return problem;
    }
  }
  return undefined;
}

/** Types are `namespace/category/classifier`; category and classifier may be left off. */
export function typesProblem(path: string, types: unknown): string | undefined {
  if (types === undefined) return undefined;
  if (!Array.isArray(types)) return `${path} should be array`;
  if (types.length > 50) return `${path} should NOT have more than 50 items`;
  for (const [index, type] of types.entries()) {
    if (typeof type !== 'string') return `${path}[${index}] should be string`;
    const parts = type.split('/');
    if (parts.length > 3 || parts.some((part) => part === '') || !TYPE_NAMESPACES.has(parts[0] ?? '')) {
      return `${path}[${index}] should match the format namespace/category/classifier with a namespace of ${[...TYPE_NAMESPACES].join(', ')}`;
    }
  }
  return undefined;
}

function productFieldsProblem(productFields: unknown): string | undefined {
  if (productFields === undefined) return undefined;
  if (!isJsonObject(productFields)) return 'data.ProductFields should be object';
  const entries = Object.entries(productFields);
  if (entries.length > 50) return 'data.ProductFields should NOT have more than 50 properties';
  for (const [key, value] of entries) {
    if (key.length > 128) return `data.ProductFields key '${key.slice(0, 20)}…' should NOT be longer than 128 characters`;
    if (key.startsWith('aws/')) return `data.ProductFields key '${key}' uses the reserved prefix 'aws/'`;
    if (typeof value !== 'string') return `data.ProductFields['${key}'] should be string`;
    if (value.length > 2048) return `data.ProductFields['${key}'] should NOT be longer than 2048 characters`;
  }
  return undefined;
}

/** A severity is required, top-level or in FindingProviderFields (the place for providers). */
function severityProblem(finding: JsonObject): string | undefined {
  const providerFields = ownField(finding, 'FindingProviderFields');
  if (providerFields !== undefined && !isJsonObject(providerFields)) return 'data.FindingProviderFields should be object';
  const providerSeverity = providerFields === undefined ? undefined : ownField(providerFields, 'Severity');
  const severity = ownField(finding, 'Severity');
  if (severity === undefined && providerSeverity === undefined) {
    return "data should have required property 'FindingProviderFields', data should match some schema in anyOf";
  }
  if (severity !== undefined) {
    if (!isJsonObject(severity)) return 'data.Severity should be object';
    const label = ownField(severity, 'Label');
    const normalized = ownField(severity, 'Normalized');
    if (label === undefined && normalized === undefined) return "data.Severity should have required property 'Label'";
    const problem = enumProblem('data.Severity.Label', label, SEVERITY_LABELS) ?? normalizedProblem('data.Severity.Normalized', normalized);
    if (problem !== undefined) return problem;
  }
  if (providerFields !== undefined) {
    if (providerSeverity !== undefined) {
      if (!isJsonObject(providerSeverity)) return 'data.FindingProviderFields.Severity should be object';
      const problem = enumProblem('data.FindingProviderFields.Severity.Label', ownField(providerSeverity, 'Label'), SEVERITY_LABELS);
      if (problem !== undefined) return problem;
    }
    return typesProblem('data.FindingProviderFields.Types', ownField(providerFields, 'Types'));
  }
  return undefined;
}

function normalizedProblem(path: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 100 ? undefined : `${path} should be an integer from 0 to 100`;
}

function enumProblem(path: string, value: unknown, allowed: ReadonlySet<string>): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' && allowed.has(value) ? undefined : `${path} should be equal to one of the allowed values: ${[...allowed].join(', ')}`;
}

function nestedEnumProblem(finding: JsonObject, field: string, member: string, allowed: ReadonlySet<string>): string | undefined {
  const value = ownField(finding, field);
  if (value === undefined) return undefined;
  if (!isJsonObject(value)) return `data.${field} should be object`;
  return enumProblem(`data.${field}.${member}`, ownField(value, member), allowed);
}
