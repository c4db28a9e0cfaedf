/** A small valid rule: Root calling CreateProject. Its `tests:` block is whatever the caller passes (YAML, indented by two). */
export function rootCreateProjectRule(id: string, tests: string): string {
  return `id: ${id}
title: Root created a project
description: The root user created a Lookout for Vision project.
severity: HIGH
types: [Unusual Behaviors/User/Root Credential Usage]
remediation: { text: Stop using root. }
scope:
  eventSource: [lookoutvision.amazonaws.com]
  eventName: [CreateProject]
conditions:
  all:
    - { fact: userIdentity.type, operator: equal, value: Root }
tests:
${tests}`;
}

/** The test fixture test/fixtures/rules/bad/several-mistakes.yaml: every mistake the loader must report, at its position. */
export function severalMistakesDiagnostics(file: string): string[] {
  return [
    `${file}:1:5: error id-mismatch: id 'several-mistakes-v2' must equal the file name without its extension: 'several-mistakes'`,
    `${file}:4:11: error invalid-value: severity must be one of INFORMATIONAL, LOW, MEDIUM, HIGH, CRITICAL, not the string "high" (did you mean 'HIGH'?)`,
    `${file}:9:15: error unknown-event-name: 'CreateDatset' is not an event name of the rule's event source (did you mean 'CreateDataset'?)`,
    `${file}:11:75: error invalid-cidr: '10.0.0.0/33': an IPv4 prefix length is at most 32`,
    `${file}:14:13: error unknown-fact: unknown field 'attributs' in userIdentity.sessionContext (did you mean 'attributes'?); known fields: sessionIssuer, webIdFederationData, attributes, sourceIdentity, ec2RoleDelivery, assumedRoot`,
    `${file}:18:17: error operator-fact-type: \`contains\` needs a list fact, but eventName is a string in CloudTrail records; use \`stringContains\``,
    `${file}:22:14: error invalid-operator-value: \`in\` needs a list: with a string json-rules-engine would test for a substring; write ["Root"], or use stringContains for a substring`,
    `${file}:24:7: error unknown-key: unknown key 'operater' in conditions.all[3] (did you mean 'operator'?); valid keys: fact, operator, value`,
    `${file}:28:14: error invalid-regex: invalid RE2 pattern: error parsing regexp: invalid or unsupported Perl syntax: \`(?=\``,
    `${file}:31:23: error undeclared-param: parameter 'allowedCidr' is not declared under params (did you mean 'allowedCidrs'?); declared: allowedCidrs`,
    `${file}:33:3: error missing-test: every rule needs at least one test with expect: no-match`,
  ];
}

/** A threshold rule: 5 DetectAnomalies calls by one assumed-role principal within 10 minutes. */
export const BURST_DETECT_ANOMALIES_RULE = `id: burst-detect-anomalies
title: Burst of DetectAnomalies calls
description: One principal called DetectAnomalies many times in a short span.
severity: MEDIUM
types: [Unusual Behaviors/User/Burst]
remediation: { text: Find out why. }
scope: { eventSource: [lookoutvision.amazonaws.com], eventName: [DetectAnomalies] }
groupBy: [principal]
threshold: { count: 5, within: 10m }
conditions:
  all:
    - { fact: userIdentity.type, operator: equal, value: AssumedRole }
tests:
  - { name: a call counts towards the burst, expect: match, event: { eventSource: lookoutvision.amazonaws.com, eventName: DetectAnomalies, userIdentity: { type: AssumedRole } } }
  - { name: a root call does not, expect: no-match, event: { eventSource: lookoutvision.amazonaws.com, eventName: DetectAnomalies, userIdentity: { type: Root } } }
`;

/** The burst rule counting distinct source addresses instead: 10 of them from one principal within an hour. */
export const DISTINCT_ADDRESSES_RULE = BURST_DETECT_ANOMALIES_RULE.replace('id: burst-detect-anomalies', 'id: distinct-addresses').replace(
  'threshold: { count: 5, within: 10m }',
  'threshold: { count: 10, distinct: sourceIPAddress, within: 1h }',
);
