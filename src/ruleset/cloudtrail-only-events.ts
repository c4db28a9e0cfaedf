/**
 * Events CloudTrail records that no current service model lists, added by hand to the generated catalog
 * (catalog/aws-event-names.json): console sign-in, service events (`eventType: AwsServiceEvent`), the
 * internal APIs of AWS agents and consoles, names S3 logs differently from its API, and Lookout for
 * Vision, which botocore dropped after its end of support. Each group names its authority; "corpora"
 * means records in ../shared/corpora (SOURCES.md) show the names.
 */
export interface CloudTrailOnlyEvents {
  readonly eventSource: string;
  readonly eventNames: readonly string[];
  readonly reference: string;
}

export const LOOKOUT_FOR_VISION_EVENT_SOURCE = 'lookoutvision.amazonaws.com';

/** The 22 API operations, plus the permission-only trial-detection actions. */
export const LOOKOUT_FOR_VISION_EVENT_NAMES: readonly string[] = [
  'CreateDataset',
  'DeleteDataset',
  'DescribeDataset',
  'ListDatasetEntries',
  'UpdateDatasetEntries',
  'CreateModel',
  'DeleteModel',
  'DescribeModel',
  'ListModels',
  'StartModel',
  'StopModel',
  'CreateProject',
  'DeleteProject',
  'DescribeProject',
  'ListProjects',
  'StartModelPackagingJob',
  'DescribeModelPackagingJob',
  'ListModelPackagingJobs',
  'DetectAnomalies',
  'TagResource',
  'UntagResource',
  'ListTagsForResource',
  'StartTrialDetection',
  'ListTrialDetections',
  'DescribeTrialDetection',
];

export const CLOUDTRAIL_ONLY_EVENTS: readonly CloudTrailOnlyEvents[] = [
  {
    eventSource: LOOKOUT_FOR_VISION_EVENT_SOURCE,
    eventNames: LOOKOUT_FOR_VISION_EVENT_NAMES,
    reference: 'https://docs.aws.amazon.com/service-authorization/latest/reference/list-amazonlookoutforvision.html',
  },
  {
    eventSource: 'signin.amazonaws.com',
    eventNames: ['ConsoleLogin', 'CheckMfa', 'SwitchRole', 'ExitRole', 'RenewRole', 'GetSigninToken', 'PasswordUpdated'],
    reference: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-integration.html (sign-in events); corpora',
  },
  {
    eventSource: 'signin.amazonaws.com',
    eventNames: ['CredentialChallenge', 'CredentialVerification', 'UserAuthentication', 'ExternalIdPDirectoryLogin'],
    reference: 'https://docs.aws.amazon.com/singlesignon/latest/userguide/understanding-sign-in-events.html (IAM Identity Center sign-in); corpora',
  },
  {
    eventSource: 'sso.amazonaws.com',
    eventNames: ['Authenticate', 'Federate'],
    reference: 'https://docs.aws.amazon.com/singlesignon/latest/userguide/sso-info-in-cloudtrail.html (access portal); corpora',
  },
  {
    eventSource: 'sso-directory.amazonaws.com',
    eventNames: ['AssociateDirectory', 'DisassociateDirectory', 'EnableExternalIdPConfigurationForDirectory', 'DisableExternalIdPConfigurationForDirectory'],
    reference:
      'https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsiamidentitycentersuccessortoawssinglesign-ondirectory.html; SigmaHQ aws_sso_idp_change',
  },
  {
    eventSource: 's3.amazonaws.com',
    eventNames: [
      'GetBucketPublicAccessBlock',
      'PutBucketPublicAccessBlock',
      'DeleteBucketPublicAccessBlock',
      'GetAccountPublicAccessBlock',
      'PutAccountPublicAccessBlock',
      'DeleteAccountPublicAccessBlock',
      'GetBucketObjectLockConfiguration',
      'PutBucketObjectLockConfiguration',
      'GetAccelerateConfiguration',
      'PutAccelerateConfiguration',
      'GetStorageLensDashboardDataInternal',
    ],
    reference: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/cloudtrail-logging-s3-info.html (names S3 logs for its API operations); corpora',
  },
  {
    eventSource: 'kms.amazonaws.com',
    eventNames: ['RotateKey', 'DeleteExpiredKeyMaterial', 'SynchronizeMultiRegionKey'],
    reference: 'https://docs.aws.amazon.com/kms/latest/developerguide/ct-synchronize-multi-region-key.html and the pages beside it (service events); corpora',
  },
  {
    eventSource: 'secretsmanager.amazonaws.com',
    eventNames: [
      'RotationStarted',
      'RotationSucceeded',
      'RotationFailed',
      'RotationAbandoned',
      'StartSecretVersionDelete',
      'CancelSecretVersionDelete',
      'EndSecretVersionDelete',
    ],
    reference: 'https://docs.aws.amazon.com/secretsmanager/latest/userguide/cloudtrail_log_entries.html (deletion and rotation events); corpora',
  },
  {
    eventSource: 'organizations.amazonaws.com',
    eventNames: ['CreateAccountResult'],
    reference: 'https://docs.aws.amazon.com/organizations/latest/userguide/orgs_cloudtrail-integration.html (service event); corpora',
  },
  {
    eventSource: 'ec2.amazonaws.com',
    eventNames: ['SharedSnapshotCopyInitiated', 'SharedSnapshotVolumeCreated'],
    reference: 'https://docs.aws.amazon.com/ebs/latest/userguide/logging-ebs-apis-using-cloudtrail.html (service events for shared snapshots); corpora',
  },
  {
    eventSource: 'cloudtrail.amazonaws.com',
    eventNames: ['CreateServiceLinkedChannel', 'UpdateServiceLinkedChannel', 'DeleteServiceLinkedChannel'],
    reference: 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/viewing-service-linked-channels.html (service events); corpora',
  },
  {
    eventSource: 'bedrock.amazonaws.com',
    eventNames: ['PutFoundationModelEntitlement'],
    reference: 'console API for model access; corpora (Stratus Red Team detonation logs)',
  },
  {
    eventSource: 'rds.amazonaws.com',
    eventNames: ['DescribeRecommendationGroups', 'DescribeRecommendations'],
    reference: 'console API for recommendations; corpora (Invictus dataset)',
  },
  {
    eventSource: 'ssm.amazonaws.com',
    eventNames: ['UpdateInstanceInformation', 'ListInstanceAssociations', 'UpdateInstanceAssociationStatus', 'RegisterManagedInstance'],
    reference:
      'SSM Agent APIs (https://docs.aws.amazon.com/systems-manager/latest/userguide/monitoring-cloudtrail-logs.html); corpora; SigmaHQ aws_cloudtrail_imds_malicious_usage',
  },
  {
    eventSource: 'ssmmessages.amazonaws.com',
    eventNames: ['CreateControlChannel', 'CreateDataChannel', 'OpenControlChannel', 'OpenDataChannel'],
    reference: 'https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsessionmanagermessagegatewayservice.html; corpora',
  },
  {
    eventSource: 'ec2messages.amazonaws.com',
    eventNames: ['AcknowledgeMessage', 'DeleteMessage', 'FailMessage', 'GetEndpoint', 'GetMessages', 'SendReply'],
    reference: 'https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonmessagedeliveryservice.html',
  },
];
