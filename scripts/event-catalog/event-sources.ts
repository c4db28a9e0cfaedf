/**
 * How CloudTrail names a service: `<endpointPrefix>.amazonaws.com`, except for the endpoint prefixes
 * below. botocore's models carry no CloudTrail event source, and the Smithy models' `cloudTrailEventSource`
 * trait is unreliable (placeholders such as `CLOUDTRAIL_EVENT_SOURCE`, and names derived from the SDK id,
 * `costexplorer.amazonaws.com` where CloudTrail writes `ce.amazonaws.com`), so the exceptions are a hand
 * table. Each entry names the AWS document that shows its source: the "eventSource" of the service's page
 * in the EventBridge events reference (https://docs.aws.amazon.com/eventbridge/latest/ref/events.html,
 * one page per service, events-ref-<service>.html), or an example record in the service's own CloudTrail page; "corpora" adds
 * records in ../shared/corpora that show it. An endpoint prefix no document names keeps its default; a
 * rule naming the real source then gets a warning (an unknown source), and the entry is added here once
 * a document shows it.
 */
export const EVENT_SOURCE_OF_ENDPOINT_PREFIX: Readonly<Record<string, string>> = {
  // events-ref-ecr; corpora: ecr.amazonaws.com PutImage
  'api.ecr': 'ecr.amazonaws.com',
  // events-ref-ecr-public
  'api.ecr-public': 'ecr-public.amazonaws.com',
  // events-ref-ses (SES v1 and v2 share the endpoint prefix `email`); corpora: ses.amazonaws.com ListIdentities
  email: 'ses.amazonaws.com',
  // S3 Control's account-level operations are logged under S3; corpora: s3.amazonaws.com ListAccessPoints
  's3-control': 's3.amazonaws.com',
  // corpora: dynamodb.amazonaws.com GetRecords (DynamoDB Streams)
  'streams.dynamodb': 'dynamodb.amazonaws.com',
  // corpora: cloudhsm.amazonaws.com CreateCluster (CloudHSM v2)
  cloudhsmv2: 'cloudhsm.amazonaws.com',
  // events-ref-bedrock: every Bedrock API logs as bedrock.amazonaws.com; corpora: InvokeModel
  'bedrock-runtime': 'bedrock.amazonaws.com',
  'bedrock-agent': 'bedrock.amazonaws.com',
  'bedrock-agent-runtime': 'bedrock.amazonaws.com',
  'bedrock-data-automation': 'bedrock.amazonaws.com',
  'bedrock-data-automation-runtime': 'bedrock.amazonaws.com',
  // events-ref-sagemaker
  'api.sagemaker': 'sagemaker.amazonaws.com',
  'runtime.sagemaker': 'sagemaker.amazonaws.com',
  // https://docs.aws.amazon.com/sagemaker/latest/dg/feature-store-logging-using-cloudtrail.html (PutRecord record)
  'featurestore-runtime.sagemaker': 'sagemaker.amazonaws.com',
  // https://docs.aws.amazon.com/sagemaker/latest/dg/experiments-monitoring.html (BatchPutMetrics record)
  'metrics.sagemaker': 'metrics-sagemaker.amazonaws.com',
  // https://docs.aws.amazon.com/singlesignon/latest/userguide/sso-info-in-cloudtrail.html (access portal); corpora: ListApplications
  'portal.sso': 'sso.amazonaws.com',
  // events-ref-sso-oauth (IAM Identity Center OIDC uses the sso-oauth namespace)
  oidc: 'sso-oauth.amazonaws.com',
  // events-ref-lex (model building and runtime, V1 and V2)
  'models.lex': 'lex.amazonaws.com',
  'runtime.lex': 'lex.amazonaws.com',
  'models-v2-lex': 'lex.amazonaws.com',
  'runtime-v2-lex': 'lex.amazonaws.com',
  // events-ref-appstream
  appstream2: 'appstream.amazonaws.com',
  // events-ref-detective
  'api.detective': 'detective.amazonaws.com',
  // events-ref-pricelist
  'api.pricing': 'pricelist.amazonaws.com',
  // events-ref-iotdeviceadvisor
  'api.iotdeviceadvisor': 'iotdeviceadvisor.amazonaws.com',
  // events-ref-iotwireless
  'api.iotwireless': 'iotwireless.amazonaws.com',
  // events-ref-iotsecuredtunneling
  'api.tunneling.iot': 'iotsecuredtunneling.amazonaws.com',
  // https://docs.aws.amazon.com/iotevents/latest/developerguide/understanding-aws-iotevents-entries.html (DescribeDetector record)
  'data.iotevents': 'iotevents.amazonaws.com',
  // events-ref-mediatailor
  'api.mediatailor': 'mediatailor.amazonaws.com',
  // events-ref-wickr
  'admin.wickr': 'wickr.amazonaws.com',
  // events-ref-payment-cryptography (the control plane)
  'controlplane.payment-cryptography': 'payment-cryptography.amazonaws.com',
  // events-ref-timestream (Timestream Write and Query)
  'ingest.timestream': 'timestream.amazonaws.com',
  'query.timestream': 'timestream.amazonaws.com',
  // events-ref-marketplacecatalog; https://docs.aws.amazon.com/marketplace/latest/APIReference/logging-catalog-api-calls-with-cloudtrail.html (ListEntities record)
  'catalog.marketplace': 'marketplacecatalog.amazonaws.com',
  // https://docs.aws.amazon.com/marketplace/latest/userguide/cloudtrail-logging.html (BatchMeterUsage record)
  'metering.marketplace': 'metering-marketplace.amazonaws.com',
  // events-ref-qapps
  'data.qapps': 'qapps.amazonaws.com',
  // events-ref-memorydb
  'memory-db': 'memorydb.amazonaws.com',
  // events-ref-chime-sdk-voice, events-ref-chime-sdk-media-pipelines
  'voice-chime': 'chime-sdk-voice.amazonaws.com',
  'media-pipelines-chime': 'chime-sdk-media-pipelines.amazonaws.com',
  // events-ref-qconnect: Amazon Q in Connect, formerly Wisdom, whose two botocore models share this endpoint prefix
  wisdom: 'qconnect.amazonaws.com',
};

/**
 * Endpoint prefixes whose operations CloudTrail never logs, left out of the catalog: a rule naming their
 * source or operations could never fire, so it gets the catalog's warning instead of passing silently.
 */
export const UNLOGGED_ENDPOINT_PREFIXES: Readonly<Record<string, string>> = {
  // "AWS IoT does not log data plane operations (device side) in CloudTrail":
  // https://docs.aws.amazon.com/iot/latest/developerguide/iot-using-cloudtrail.html
  'data-ats.iot': 'IoT data plane (Publish, device shadows, retained messages)',
  'data.jobs.iot': 'IoT Jobs data plane (the device side of jobs)',
};

/**
 * Services whose CloudTrail event names carry the API version the call used: Lambda writes
 * `UpdateFunctionConfiguration20150331v2`, `CreateFunction20150331`
 * (https://docs.aws.amazon.com/lambda/latest/dg/logging-using-cloudtrail.html; corpora: both suffixes).
 * The plain names stay known too, as newer operations are logged without a suffix.
 */
export const EVENT_NAME_SUFFIXES: Readonly<Record<string, readonly string[]>> = {
  'lambda.amazonaws.com': ['20150331', '20150331v2'],
};
