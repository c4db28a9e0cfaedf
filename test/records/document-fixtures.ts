import type { CloudTrailRecord } from '../../src/records/cloudtrail-record.js';
import type { DocumentFormat } from '../../src/records/document-format.js';

/** A small Lookout for Vision record; `fields` replace the defaults. */
export function lfvCall(eventName: string, fields: Readonly<Record<string, unknown>> = {}): CloudTrailRecord {
  return {
    eventVersion: '1.09',
    userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::123456789012:assumed-role/Admin/ana', accountId: '123456789012' },
    eventTime: '2025-10-20T11:58:31Z',
    eventSource: 'lookoutvision.amazonaws.com',
    eventName,
    awsRegion: 'us-east-1',
    sourceIPAddress: '10.0.14.22',
    requestParameters: { projectName: 'circuit-board-inspection' },
    responseElements: null,
    eventID: `${eventName.toLowerCase()}-0001`,
    readOnly: false,
    recipientAccountId: '123456789012',
    ...fields,
  };
}

export const createProject = lfvCall('CreateProject');
export const detectAnomalies = lfvCall('DetectAnomalies', { readOnly: true });

export function eventBridgeEnvelope(detail: unknown, detailType = 'AWS API Call via CloudTrail'): Record<string, unknown> {
  return {
    version: '0',
    id: 'b9f1c7a2-0c1d-4c4e-9d8f-3f5e2a1b0c9d',
    'detail-type': detailType,
    source: 'aws.lookoutvision',
    account: '123456789012',
    time: '2025-10-20T11:58:31Z',
    region: 'us-east-1',
    resources: [],
    detail,
  };
}

export function lookupEvent(record: CloudTrailRecord): Record<string, unknown> {
  return {
    EventId: record['eventID'],
    EventName: record['eventName'],
    ReadOnly: String(record['readOnly']),
    EventTime: '2025-10-20T11:58:31+00:00',
    EventSource: record['eventSource'],
    Resources: [],
    CloudTrailEvent: JSON.stringify(record),
  };
}

/** One valid document per format, holding createProject then detectAnomalies (a digest holds none). */
export const FORMAT_EXAMPLES: readonly { readonly format: DocumentFormat; readonly text: string }[] = [
  { format: 'cloudtrail-log-file', text: JSON.stringify({ Records: [createProject, detectAnomalies] }) },
  { format: 'lookup-events', text: JSON.stringify({ Events: [lookupEvent(createProject), lookupEvent(detectAnomalies)], NextToken: 'eyJ2IjoiMiJ9' }, null, 4) },
  { format: 'json-lines', text: `${JSON.stringify(createProject)}\n${JSON.stringify(eventBridgeEnvelope(detectAnomalies))}\n` },
  { format: 'record-array', text: JSON.stringify([createProject, detectAnomalies], null, 2) },
];

/** Formats that hold one record: createProject. */
export const SINGLE_RECORD_EXAMPLES: readonly { readonly format: DocumentFormat; readonly text: string }[] = [
  { format: 'record', text: JSON.stringify(createProject, null, 2) },
  { format: 'eventbridge-event', text: JSON.stringify(eventBridgeEnvelope(createProject)) },
  { format: 'lookup-event', text: JSON.stringify(lookupEvent(createProject)) },
];

export const DIGEST_TEXT = JSON.stringify({
  awsAccountId: '123456789012',
  digestStartTime: '2025-10-20T12:05:12Z',
  digestEndTime: '2025-10-20T13:05:12Z',
  digestS3Bucket: 'example-corp-cloudtrail-logs',
  digestS3Object:
    'AWSLogs/123456789012/CloudTrail-Digest/us-east-1/2025/10/20/123456789012_CloudTrail-Digest_us-east-1_trail_us-east-1_20251020T130512Z.json.gz',
  digestPublicKeyFingerprint: '7f3c1a9e5b2d4c6e8a0b1c2d3e4f5a6b',
  digestSignatureAlgorithm: 'SHA256withRSA',
  logFiles: [],
});
