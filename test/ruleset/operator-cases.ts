/**
 * The operator semantics of docs/rules.md as examples: for each operator a true case, a false case, a
 * fact of the wrong type and a missing fact, plus the decorators. Both the operator table and the
 * json-rules-engine reference evaluator are checked against this one list.
 */

/** The field is absent from the record. */
export const MISSING = Symbol('missing field');

export interface OperatorCase {
  readonly operator: string;
  readonly fact: unknown;
  readonly value: unknown;
  readonly expected: boolean;
  /** Completes the test name: `<operator> is <expected> when <when>`. */
  readonly when: string;
}

function cases(operator: string, list: readonly [fact: unknown, value: unknown, expected: boolean, when: string][]): OperatorCase[] {
  return list.map(([fact, value, expected, when]) => ({ operator, fact, value, expected, when }));
}

export const OPERATOR_CASES: readonly OperatorCase[] = [
  ...cases('equal', [
    ['CreateDataset', 'CreateDataset', true, 'the fact is the same string'],
    ['CreateDataset', 'DeleteDataset', false, 'the fact is another string'],
    [1, '1', false, 'the fact is a number and the value its string'],
    [MISSING, 'CreateDataset', false, 'the field is missing'],
  ]),
  ...cases('notEqual', [
    ['false', 'true', true, 'the fact is another string'],
    ['true', 'true', false, 'the fact is the same string'],
    [true, 'true', true, 'the fact is a boolean and the value a string'],
    [MISSING, 'true', true, 'the field is missing (undefined differs from every value)'],
  ]),
  ...cases('in', [
    ['IAMUser', ['Root', 'IAMUser'], true, 'the fact is in the list'],
    ['AWSService', ['Root', 'IAMUser'], false, 'the fact is not in the list'],
    [['Root'], ['Root'], false, 'the fact is a list'],
    [MISSING, ['Root'], false, 'the field is missing'],
  ]),
  ...cases('notIn', [
    ['AWSService', ['Root', 'IAMUser'], true, 'the fact is not in the list'],
    ['Root', ['Root', 'IAMUser'], false, 'the fact is in the list'],
    [5, ['5'], true, 'the fact is a number and the list holds its string'],
    [MISSING, ['Root'], true, 'the field is missing'],
  ]),
  ...cases('contains', [
    [['a', 'b'], 'a', true, 'the list fact has the value'],
    [['a', 'b'], 'c', false, 'the list fact lacks the value'],
    ['abc', 'a', false, 'the fact is a string'],
    [MISSING, 'a', false, 'the field is missing'],
  ]),
  ...cases('doesNotContain', [
    [['a', 'b'], 'c', true, 'the list fact lacks the value'],
    [['a', 'b'], 'a', false, 'the list fact has the value'],
    ['abc', 'z', false, 'the fact is a string'],
    [MISSING, 'a', false, 'the field is missing'],
  ]),
  ...cases('lessThan', [
    [1, 2, true, 'the fact is smaller'],
    [2, 2, false, 'the fact is equal'],
    ['1', 2, false, 'the fact is a numeric string'],
    [MISSING, 2, false, 'the field is missing'],
  ]),
  ...cases('lessThanInclusive', [
    [2, 2, true, 'the fact is equal'],
    [3, 2, false, 'the fact is larger'],
    ['2', 2, false, 'the fact is a numeric string'],
    [MISSING, 2, false, 'the field is missing'],
  ]),
  ...cases('greaterThan', [
    [3, 2, true, 'the fact is larger'],
    [2, 2, false, 'the fact is equal'],
    ['3', 2, false, 'the fact is a numeric string'],
    [MISSING, 2, false, 'the field is missing'],
  ]),
  ...cases('greaterThanInclusive', [
    [2, 2, true, 'the fact is equal'],
    [1, 2, false, 'the fact is smaller'],
    [[3], 2, false, 'the fact is a list holding a number'],
    [MISSING, 2, false, 'the field is missing'],
  ]),
  ...cases('startsWith', [
    ['arn:aws:iam::123456789012:root', 'arn:aws:iam::', true, 'the fact starts with the value'],
    ['DeleteModel', ['Create', 'Delete'], true, 'the fact starts with one of the values'],
    ['StartModel', ['Create', 'Delete'], false, 'the fact starts with none of the values'],
    [5, '5', false, 'the fact is a number'],
    [MISSING, 'arn:', false, 'the field is missing'],
  ]),
  ...cases('endsWith', [
    ['arn:aws:iam::123456789012:root', ':root', true, 'the fact ends with the value'],
    ['arn:aws:iam::123456789012:user/alice', ':root', false, 'the fact ends otherwise'],
    [['x:root'], ':root', false, 'the fact is a list'],
    [MISSING, ':root', false, 'the field is missing'],
  ]),
  ...cases('stringContains', [
    ['aws-cli/2.15.0 Python/3.11', 'aws-cli', true, 'the fact contains the substring'],
    ['Boto3/1.34.0', ['aws-cli', 'Boto3'], true, 'the fact contains one of the substrings'],
    ['Boto3/1.34.0', 'aws-cli', false, 'the fact lacks the substring'],
    [['aws-cli'], 'aws-cli', false, 'the fact is a list'],
    [MISSING, 'aws-cli', false, 'the field is missing'],
  ]),
  ...cases('matches', [
    ['CreateDataset', '^Create', true, 'the pattern matches at the start'],
    ['xCreateDataset', '^Create', false, 'the anchored pattern does not match'],
    ['aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!', '^(a+)+$', false, 'a pattern that backtracks catastrophically elsewhere meets a near match'],
    [42, '4', false, 'the fact is a number'],
    [MISSING, '.*', false, 'the field is missing'],
  ]),
  ...cases('inCidr', [
    ['10.1.2.3', ['10.0.0.0/8'], true, 'the IPv4 address is inside a range'],
    ['2001:db8::1', ['192.0.2.0/24', '2001:db8::/32'], true, 'the IPv6 address is inside a range'],
    ['::ffff:10.1.2.3', ['10.0.0.0/8'], true, 'an IPv4-mapped IPv6 address is inside an IPv4 range'],
    ['11.0.0.1', ['10.0.0.0/8'], false, 'the address is outside the ranges'],
    ['08.1.2.3', ['0.0.0.0/0'], false, 'the fact has a leading zero and so is no address'],
    ['AWS Internal', ['0.0.0.0/0'], false, 'the fact is AWS Internal'],
    [MISSING, ['0.0.0.0/0'], false, 'the field is missing'],
  ]),
  ...cases('notInCidr', [
    ['11.0.0.1', ['10.0.0.0/8'], true, 'the address is outside the ranges'],
    ['10.1.2.3', ['10.0.0.0/8'], false, 'the address is inside a range'],
    ['::ffff:10.1.2.3', ['10.0.0.0/8'], false, 'an IPv4-mapped IPv6 address is inside an IPv4 range'],
    ['lookoutvision.amazonaws.com', ['10.0.0.0/8'], false, 'the fact is a service host name'],
    ['AWS Internal', ['10.0.0.0/8'], false, 'the fact is AWS Internal'],
    [MISSING, ['10.0.0.0/8'], false, 'the field is missing'],
  ]),
  ...cases('isIpAddress', [
    ['198.51.100.7', true, true, 'the fact is an IPv4 address and the value true'],
    ['2001:db8::7', true, true, 'the fact is an IPv6 address and the value true'],
    ['AWS Internal', true, false, 'the fact is AWS Internal and the value true'],
    ['AWS Internal', false, true, 'the fact is AWS Internal and the value false'],
    [7, true, false, 'the fact is a number'],
    [MISSING, false, true, 'the field is missing and the value false'],
  ]),
  ...cases('exists', [
    ['AKIAEXAMPLE', true, true, 'the field is present and the value true'],
    [null, true, false, 'the field is null and the value true'],
    [MISSING, true, false, 'the field is missing and the value true'],
    [MISSING, false, true, 'the field is missing and the value false'],
  ]),
  ...cases('not:startsWith', [
    ['DeleteModel', 'Create', true, 'the fact does not start with the value'],
    ['CreateModel', 'Create', false, 'the fact starts with the value'],
    [MISSING, 'Create', true, 'the field is missing (not negates false)'],
  ]),
  ...cases('someValue:matches', [
    ['DeleteModel', ['^Create', '^Delete'], true, 'one of the patterns matches'],
    ['StartModel', ['^Create', '^Delete'], false, 'none of the patterns matches'],
  ]),
  ...cases('everyValue:stringContains', [
    ['aws-cli/2.15.0 md/command#lookoutvision', ['aws-cli', 'lookoutvision'], true, 'the fact contains every substring'],
    ['aws-cli/2.15.0 md/command#s3', ['aws-cli', 'lookoutvision'], false, 'the fact lacks one substring'],
  ]),
  ...cases('not:someValue:equal', [
    ['us-east-1', ['eu-west-1', 'eu-central-1'], true, 'the fact equals none of the values'],
    ['eu-west-1', ['eu-west-1', 'eu-central-1'], false, 'the fact equals one of the values'],
  ]),
  ...cases('anyStringContains', [
    [
      { containerDefinitions: [{ environment: [{ name: 'URL', value: 'http://169.254.170.2/v2/credentials' }] }] },
      '169.254.170.2',
      true,
      'a string deep in its objects and lists contains the substring',
    ],
    ['http://169.254.170.2/', ['10.0.0.1', '169.254.170.2'], true, 'the fact is a string containing one of the substrings'],
    [{ bucketName: 'logs', tags: ['a', 'b'], count: 169 }, '169', false, 'only a number holds the text'],
    [null, '169.254.170.2', false, 'the fact is null'],
    [MISSING, '169.254.170.2', false, 'the field is missing'],
  ]),
  ...cases('matchesWildcard', [
    ['DeleteBucket', 'deletebucket', true, 'the fact is the pattern in another case'],
    ['UpdateFunctionConfiguration20150331v2', 'UpdateFunctionConfiguration*', true, 'a trailing * matches the rest'],
    ['aws-cli/2.15.0 S3 Browser', ['*TruffleHog*', '*s3 browser*'], true, 'one of the patterns matches'],
    ['Root', '?oot', true, '? matches one character'],
    ['Roots', '?oot', false, 'the pattern must match the whole text'],
    ['a*b', 'a\\*b', true, 'an escaped * matches a star'],
    ['axb', 'a\\*b', false, 'an escaped * matches nothing else'],
    ['C:\\Windows', 'c:\\windows', true, 'a backslash before a letter is itself'],
    [false, 'false', true, 'the fact is a boolean read as text'],
    [5, '5', true, 'the fact is a number read as text'],
    [{ VersioningConfiguration: { Status: 'Suspended' } }, '*suspended*', true, 'a value under an object matches'],
    [['arn:aws:lambda:us-east-1:1:layer:x:1'], '*', true, 'an element of a list matches'],
    [[], '*', false, 'the fact is an empty list'],
    [null, '*', false, 'the fact is null'],
    [MISSING, '*', false, 'the field is missing'],
  ]),
  ...cases('equalsText', [
    ['arn:aws:iam::1:user/Alice', 'ARN:AWS:IAM::1:USER/alice', true, 'the fact is the value in another case'],
    ['alice', 'alice*', false, 'the value is text, not a pattern'],
    ['alice', 'bob', false, 'the fact is another string'],
    [false, 'FALSE', true, 'the fact is a boolean read as text'],
    ['5', 5, true, 'the value is a number read as text'],
    [['bob', 'Alice'], ['carol', 'alice'], true, 'some element of the fact equals some element of the value'],
    [{ user: { name: 'ALICE' } }, 'alice', true, 'a value under an object equals it'],
    [[], 'alice', false, 'the fact is an empty list'],
    [null, 'null', false, 'the fact is null'],
    [MISSING, 'alice', false, 'the field is missing'],
  ]),
  ...cases('ignoreCase:equal', [
    ['No', 'no', true, 'the fact is the value in another case'],
    ['no', 'NO', true, 'the value is written in another case'],
    ['No', 'yes', false, 'the fact is another string'],
    ['ÉTÉ', 'été', true, 'the letters are accented (toLowerCase folds them)'],
    ['STRASSE', 'straße', false, 'only full case folding would equate ß and SS'],
    [5, 5, true, 'the fact is a number equal to the value'],
    [MISSING, 'no', false, 'the field is missing'],
  ]),
  ...cases('ignoreCase:notEqual', [
    ['No', 'no', false, 'the fact is the value in another case'],
    ['No', 'yes', true, 'the fact is another string'],
  ]),
  ...cases('ignoreCase:in', [
    ['IAMUser', ['root', 'iamuser'], true, 'the fact is in the list in another case'],
    ['AWSService', ['Root', 'IAMUser'], false, 'the fact is not in the list in any case'],
    [MISSING, ['Root'], false, 'the field is missing'],
  ]),
  ...cases('ignoreCase:notIn', [
    ['IAMUser', ['root', 'iamuser'], false, 'the fact is in the list in another case'],
    ['AWSService', ['Root'], true, 'the fact is not in the list in any case'],
  ]),
  ...cases('ignoreCase:startsWith', [
    ['DeleteProject', ['CREATE', 'delete'], true, 'the fact starts with one of the prefixes in another case'],
    ['DeleteProject', 'Create', false, 'the fact starts with no prefix'],
  ]),
  ...cases('ignoreCase:endsWith', [
    ['arn:aws:iam::123456789012:ROOT', ':root', true, 'the fact ends with the suffix in another case'],
    [MISSING, ':root', false, 'the field is missing'],
  ]),
  ...cases('ignoreCase:stringContains', [
    ['Mozilla/5.0 AWS-CLI/2.15', 'aws-cli', true, 'the fact contains the substring in another case'],
    ['Boto3/1.20', ['aws-cli', 'TERRAFORM'], false, 'the fact contains none of the substrings'],
    [['aws-cli'], 'aws-cli', false, 'the fact is a list'],
  ]),
  ...cases('not:ignoreCase:equal', [['No', 'NO', false, 'the fact equals the value ignoring case']]),
  ...cases('someValue:ignoreCase:startsWith', [['DeleteModel', ['create', 'DELETE'], true, 'one prefix fits ignoring case']]),
  ...cases('ignoreCase:everyValue:stringContains', [['ListModels', ['LIST', 'models'], true, 'every substring is in the fact ignoring case']]),
];

export function caseName(operatorCase: OperatorCase): string {
  return `${operatorCase.operator} is ${String(operatorCase.expected)} when ${operatorCase.when}`;
}
