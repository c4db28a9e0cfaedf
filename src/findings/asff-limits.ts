import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { SEVERITY_LABELS } from '../ruleset/rule.js';

/**
 * Limits of the AWS Security Finding Format, from the AwsSecurityFinding API reference
 * (https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_AwsSecurityFinding.html) and
 * BatchImportFindings (https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_BatchImportFindings.html).
 * Lengths are in characters; lfvaudit measures UTF-16 code units, which are never fewer.
 */
export const ASFF_LIMITS = {
  schemaVersion: '2018-10-08',
  idLength: 512,
  generatorIdLength: 512,
  productArnLength: { min: 12, max: 2048 },
  titleLength: 256,
  descriptionLength: 1024,
  regionLength: 16,
  productNameLength: 128,
  types: 50,
  resources: { min: 1, max: 32 },
  resourceTypeLength: 256,
  productFields: { pairs: 50, keyLength: 128, valueLength: 2048, reservedPrefix: 'aws/' },
  userDefinedFields: { pairs: 50, keyLength: 128, valueLength: 1024 },
  recommendationTextLength: 512,
  apiLength: 128,
  domainLength: 128,
  /** Bytes of the finding's JSON. */
  findingBytes: 240 * 1024,
} as const;

export const ASFF_TYPE_NAMESPACES = ['Software and Configuration Checks', 'TTPs', 'Effects', 'Unusual Behaviors', 'Sensitive Data Identifications'] as const;

const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov', 'aws-us-iso', 'aws-us-iso-b', 'AzureCloud'];
const RECORD_STATES = ['ACTIVE', 'ARCHIVED'];
const WORKFLOW_STATUSES = ['NEW', 'NOTIFIED', 'RESOLVED', 'SUPPRESSED'];
const COMPLIANCE_STATUSES = ['PASSED', 'WARNING', 'FAILED', 'NOT_AVAILABLE'];

/** One way a finding breaks the format: the field (`Resources[3].Type`) and what is wrong with it. */
export interface AsffProblem {
  readonly field: string;
  readonly message: string;
}

/**
 * Every documented limit and required field of a finding that BatchImportFindings would reject, or
 * silently accept and show wrongly. An empty list means the finding is well-formed.
 */
export function validateAsffFinding(finding: AwsSecurityFinding): AsffProblem[] {
  const problems: AsffProblem[] = [];
  const problem = (field: string, message: string): void => {
    problems.push({ field, message });
  };
  const text = (field: string, value: string | undefined, limits: { required: boolean; max?: number; min?: number }): void => {
    if (value === undefined) {
      if (limits.required) problem(field, 'is required');
      return;
    }
    if (typeof value !== 'string') return problem(field, 'must be a string');
    // The API's pattern for every string is `.*\S.*`: empty or all-whitespace values are rejected.
    if (value.trim() === '') return problem(field, 'must contain a non-whitespace character');
    if (limits.min !== undefined && value.length < limits.min) problem(field, `must be at least ${limits.min} characters (is ${value.length})`);
    if (limits.max !== undefined && value.length > limits.max) problem(field, `must be at most ${limits.max} characters (is ${value.length})`);
  };
  const timestamp = (field: string, value: string | undefined, required: boolean): void => {
    text(field, value, { required });
    if (typeof value === 'string' && value.trim() !== '' && !isAsffTimestamp(value)) {
      problem(field, `must be an RFC 3339 timestamp such as 2020-03-22T13:22:13.933Z (is ${JSON.stringify(value)})`);
    }
  };
  const oneOf = (field: string, value: string | undefined, allowed: readonly string[]): void => {
    if (value !== undefined && !allowed.includes(value)) problem(field, `must be one of ${allowed.join(', ')} (is ${JSON.stringify(value)})`);
  };

  if (finding.SchemaVersion !== ASFF_LIMITS.schemaVersion) problem('SchemaVersion', `must be ${ASFF_LIMITS.schemaVersion}`);
  text('Id', finding.Id, { required: true, max: ASFF_LIMITS.idLength });
  text('ProductArn', finding.ProductArn, { required: true, ...ASFF_LIMITS.productArnLength });
  if (typeof finding.ProductArn === 'string' && !/^arn:[a-z-]+:securityhub:[a-z0-9-]+:\d{12}:product\/.+/.test(finding.ProductArn)) {
    problem('ProductArn', 'must be a Security Hub product ARN, arn:aws:securityhub:<region>:<account>:product/<company>/<product>');
  }
  text('GeneratorId', finding.GeneratorId, { required: true, max: ASFF_LIMITS.generatorIdLength });
  text('AwsAccountId', finding.AwsAccountId, { required: true });
  if (typeof finding.AwsAccountId === 'string' && !/^\d{12}$/.test(finding.AwsAccountId)) problem('AwsAccountId', 'must be a 12-digit account id');
  timestamp('CreatedAt', finding.CreatedAt, true);
  timestamp('UpdatedAt', finding.UpdatedAt, true);
  timestamp('FirstObservedAt', finding.FirstObservedAt, false);
  timestamp('LastObservedAt', finding.LastObservedAt, false);
  text('Title', finding.Title, { required: true, max: ASFF_LIMITS.titleLength });
  text('Description', finding.Description, { required: true, max: ASFF_LIMITS.descriptionLength });
  text('Region', finding.Region, { required: false, max: ASFF_LIMITS.regionLength });
  text('ProductName', finding.ProductName, { required: false, max: ASFF_LIMITS.productNameLength });
  text('CompanyName', finding.CompanyName, { required: false, max: ASFF_LIMITS.productNameLength });

  checkTypes('Types', finding.Types, problem);
  checkTypes('FindingProviderFields.Types', finding.FindingProviderFields?.Types, problem);
  oneOf('Severity.Label', finding.Severity?.Label, SEVERITY_LABELS);
  oneOf('FindingProviderFields.Severity.Label', finding.FindingProviderFields?.Severity?.Label, SEVERITY_LABELS);
  for (const [field, score] of [
    ['Confidence', finding.Confidence],
    ['Criticality', finding.Criticality],
    ['FindingProviderFields.Confidence', finding.FindingProviderFields?.Confidence],
    ['FindingProviderFields.Criticality', finding.FindingProviderFields?.Criticality],
  ] as const) {
    if (score !== undefined && !(Number.isInteger(score) && score >= 0 && score <= 100)) problem(field, 'must be an integer from 0 to 100');
  }

  const resources = finding.Resources;
  if (resources === undefined || resources.length < ASFF_LIMITS.resources.min) problem('Resources', `must hold at least ${ASFF_LIMITS.resources.min} resource`);
  else if (resources.length > ASFF_LIMITS.resources.max)
    problem('Resources', `must hold at most ${ASFF_LIMITS.resources.max} resources (holds ${resources.length})`);
  (resources ?? []).forEach((resource, index) => {
    text(`Resources[${index}].Type`, resource.Type, { required: true, max: ASFF_LIMITS.resourceTypeLength });
    text(`Resources[${index}].Id`, resource.Id, { required: true });
    text(`Resources[${index}].Region`, resource.Region, { required: false, max: ASFF_LIMITS.regionLength });
    oneOf(`Resources[${index}].Partition`, resource.Partition, PARTITIONS);
  });

  checkStringMap('ProductFields', finding.ProductFields, ASFF_LIMITS.productFields, problem);
  for (const key of Object.keys(finding.ProductFields ?? {})) {
    if (key.startsWith(ASFF_LIMITS.productFields.reservedPrefix))
      problem(`ProductFields.${key}`, `keys starting with ${ASFF_LIMITS.productFields.reservedPrefix} are reserved for AWS`);
  }
  checkStringMap('UserDefinedFields', finding.UserDefinedFields, ASFF_LIMITS.userDefinedFields, problem);

  const recommendation = finding.Remediation?.Recommendation;
  text('Remediation.Recommendation.Text', recommendation?.Text, { required: false, max: ASFF_LIMITS.recommendationTextLength });
  text('Remediation.Recommendation.Url', recommendation?.Url, { required: false });

  const apiCall = finding.Action?.AwsApiCallAction;
  text('Action.AwsApiCallAction.Api', apiCall?.Api, { required: false, max: ASFF_LIMITS.apiLength });
  text('Action.AwsApiCallAction.DomainDetails.Domain', apiCall?.DomainDetails?.Domain, { required: false, max: ASFF_LIMITS.domainLength });
  timestamp('Action.AwsApiCallAction.FirstSeen', apiCall?.FirstSeen, false);
  timestamp('Action.AwsApiCallAction.LastSeen', apiCall?.LastSeen, false);

  oneOf('RecordState', finding.RecordState, RECORD_STATES);
  oneOf('Workflow.Status', finding.Workflow?.Status, WORKFLOW_STATUSES);
  oneOf('Compliance.Status', finding.Compliance?.Status, COMPLIANCE_STATUSES);

  const bytes = Buffer.byteLength(JSON.stringify(finding), 'utf8');
  if (bytes > ASFF_LIMITS.findingBytes) problem('(finding)', `must be at most ${ASFF_LIMITS.findingBytes} bytes of JSON (is ${bytes})`);
  return problems;
}

/**
 * Security Hub accepts RFC 3339 date-times with up to nine fractional digits and a `Z` or `±hh:mm`
 * offset (https://docs.aws.amazon.com/securityhub/1.0/APIReference/Welcome.html#timestamps).
 */
export function isAsffTimestamp(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/.test(value) && !Number.isNaN(Date.parse(value));
}

function checkTypes(field: string, types: readonly string[] | undefined, problem: (field: string, message: string) => void): void {
  if (types === undefined) return;
  if (types.length > ASFF_LIMITS.types) problem(field, `must hold at most ${ASFF_LIMITS.types} types (holds ${types.length})`);
  types.forEach((type, index) => {
    const parts = type.split('/');
    const namespace = parts[0] ?? '';
    if (parts.length > 3 || parts.some((part) => part.trim() === '')) {
      problem(`${field}[${index}]`, `must be namespace/category/classifier (is ${JSON.stringify(type)})`);
    } else if (!(ASFF_TYPE_NAMESPACES as readonly string[]).includes(namespace)) {
      problem(`${field}[${index}]`, `namespace must be one of ${ASFF_TYPE_NAMESPACES.join(', ')} (is ${JSON.stringify(namespace)})`);
    }
  });
}

function checkStringMap(
  field: string,
  map: Readonly<Record<string, string>> | undefined,
  limits: { readonly pairs: number; readonly keyLength: number; readonly valueLength: number },
  problem: (field: string, message: string) => void,
): void {
  if (map === undefined) return;
  const entries = Object.entries(map);
  if (entries.length > limits.pairs) problem(field, `must hold at most ${limits.pairs} pairs (holds ${entries.length})`);
  for (const [key, value] of entries) {
    if (key.trim() === '') problem(field, 'keys must contain a non-whitespace character');
    if (key.length > limits.keyLength) problem(`${field}.${key}`, `key must be at most ${limits.keyLength} characters (is ${key.length})`);
    // Keys and values share the API's string pattern `.*\S.*`.
    if (typeof value !== 'string' || value.trim() === '') problem(`${field}.${key}`, 'value must be a string with a non-whitespace character');
    else if (value.length > limits.valueLength) problem(`${field}.${key}`, `value must be at most ${limits.valueLength} characters (is ${value.length})`);
  }
}
