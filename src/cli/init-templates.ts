/** What `lfvaudit init` writes. Kept valid by tests that run the whole sequence on what it wrote. */

/** Where init copies the package's JSON Schemas, so that the files it writes name schemas that exist. */
export const SCHEMA_FOLDER = '.lfvaudit/schema';

export const EXAMPLE_TRAIL_FILE = 'example-trail.json';

/** Records from the package's examples/records, chosen so the example trail gives findings at once. */
export const EXAMPLE_TRAIL_RECORDS: readonly string[] = ['create-project-root.json', 'create-dataset-no-mfa.json', 'seed-create-dataset.json'];

export const STARTER_CONFIG = `# yaml-language-server: $schema=./.lfvaudit/schema/config.schema.json
# lfvaudit configuration. Every key is optional; shown values are the defaults unless marked "example".

rules:
  builtIn: true        # run the built-in Lookout for Vision pack
  paths: [rules]       # your own rule files or folders (relative to this file)
  disable: []          # rule ids not to run, e.g. [lfv-outdated-tls]

# Parameters the rules read. Rules whose required parameters are unset are inactive, and every run says so.
params:
  mfaRequiredActions: [CreateDataset]           # calls that must come from an MFA-authenticated session
  # allowedSourceCidrs: [203.0.113.0/24]        # example: enables lfv-source-ip-allowlist
  # approvedPackagingBuckets: [my-model-packages] # example: enables lfv-model-packaging-unapproved-bucket
  # allowedRegions: [us-east-1]                 # example: enables lfv-unapproved-region

# Where events come from: {type: file, path}, {type: cloudtrail, regions}, {type: s3, bucket, prefix}.
# --source on the command line replaces this list.
sources:
  - type: file
    path: trail-logs   # a folder of CloudTrail log files (any format, gzipped or not); init put an example in it

# Where findings go: {type: stdout}, {type: file, path}, {type: securityhub, region}.
# --sink on the command line replaces this list.
sinks:
  - type: stdout
  - type: file
    path: findings.json

# failOn: HIGH         # exit 1 when a finding at or above this severity is produced

state:
  path: .lfvaudit/state.json   # the last completed window of scheduled runs
  deliveryLagMinutes: 15       # CloudTrail delivers events minutes after the call
  overlapMinutes: 60           # re-read this much of the previous window (late deliveries)
  lookbackHours: 24            # window of the first run
  lockStaleMinutes: 10         # take over a lock from another host silent this long (a crashed run)

# suppressions:        # example: silence a known, accepted case until a date
#   - rule: lfv-long-term-access-key
#     reason: CI user migrating to roles, ticket SEC-123
#     expires: 2026-12-31
#     conditions:
#       all:
#         - { fact: userIdentity.userName, operator: equal, value: ci-deployer }
`;

export const STARTER_RULE_FILE = 'custom-create-project-outside-change-window.yaml';

export const STARTER_RULE = `# yaml-language-server: $schema=../.lfvaudit/schema/rule.schema.json
# An example custom rule. Its id must equal the file name. Check it with: lfvaudit rules validate && lfvaudit rules test
id: custom-create-project-outside-change-window
title: Lookout for Vision project created by an identity outside the platform team
description: >-
  Only the platform team's deployment role creates Lookout for Vision projects. A project created by any
  other identity bypassed the change process.
severity: MEDIUM
types:
  - Software and Configuration Checks/Industry and Regulatory Standards/Change Management
remediation:
  text: Confirm the change with its owner, then delete the project or move its creation into the platform pipeline.
  url: https://docs.aws.amazon.com/lookout-for-vision/latest/developer-guide/security-iam.html
scope:
  eventSource: [lookoutvision.amazonaws.com]
  eventName: [CreateProject]
params:
  platformRolePrefix:
    type: string
    description: ARN prefix of the platform team's deployment role sessions.
    default: arn:aws:sts::123456789012:assumed-role/platform-deployer/
conditions:
  all:
    - fact: userIdentity.arn
      operator: not:startsWith
      value: { param: platformRolePrefix }
tests:
  - name: a developer creating a project is reported
    expect: match
    event:
      eventSource: lookoutvision.amazonaws.com
      eventName: CreateProject
      awsRegion: us-east-1
      recipientAccountId: "123456789012"
      userIdentity:
        type: AssumedRole
        arn: arn:aws:sts::123456789012:assumed-role/Developer/alice
      requestParameters: { projectName: circuit-boards }
    finding:
      severity: MEDIUM
      resources: [arn:aws:lookoutvision:us-east-1:123456789012:project/circuit-boards]
  - name: the platform deployer creating a project is fine
    expect: no-match
    event:
      eventSource: lookoutvision.amazonaws.com
      eventName: CreateProject
      userIdentity:
        type: AssumedRole
        arn: arn:aws:sts::123456789012:assumed-role/platform-deployer/pipeline
      requestParameters: { projectName: circuit-boards }
`;
