/**
 * How CloudTrail names a service: `<endpointPrefix>.amazonaws.com`, except for the endpoint prefixes
 * below. botocore's models carry no CloudTrail event source, and the Smithy models' `cloudTrailEventSource`
 * trait is unreliable (placeholders such as `CLOUDTRAIL_EVENT_SOURCE`, and names derived from the SDK id,
 * `costexplorer.amazonaws.com` where CloudTrail writes `ce.amazonaws.com`), so the exceptions are a hand
 * table. Each entry's authority is the "CloudTrail event source" column of the EventBridge events
 * reference, https://docs.aws.amazon.com/eventbridge/latest/ref/events.html (one page per service,
 * events-ref-<service>.html), and, where noted, records in ../shared/corpora that show it.
 * An endpoint prefix missing here keeps its default; a rule naming the real source then gets a warning
 * (an unknown source), never a wrong error, and the entry is added here.
 */
export const EVENT_SOURCE_OF_ENDPOINT_PREFIX: Readonly<Record<string, string>> = {
  // events-ref-ecr, events-ref-ecr-public; corpora: ecr.amazonaws.com PutImage
  'api.ecr': 'ecr.amazonaws.com',
  'api.ecr-public': 'ecr-public.amazonaws.com',
  // events-ref-ses (SES v1 and v2 share the endpoint prefix `email`); corpora: ses.amazonaws.com ListIdentities
  email: 'ses.amazonaws.com',
  // S3 Control's account-level operations are logged under S3; corpora: s3.amazonaws.com ListAccessPoints
  's3-control': 's3.amazonaws.com',
  // corpora: dynamodb.amazonaws.com GetRecords (DynamoDB Streams)
  'streams.dynamodb': 'dynamodb.amazonaws.com',
  // events-ref-cloudhsm; corpora: cloudhsm.amazonaws.com CreateCluster (CloudHSM v2)
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
  // events-ref-sso, events-ref-sso-oauth (IAM Identity Center portal and OIDC)
  'portal.sso': 'sso.amazonaws.com',
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
