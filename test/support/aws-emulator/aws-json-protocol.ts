/**
 * awsJson1_1 (CloudTrail): results as JSON with timestamps in epoch seconds, errors as
 * `{"__type": "<code>", "message": "..."}`.
 * https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html
 */
import type { AwsApiError } from './api-error.js';
import type { EmulatorResponse, WireProtocol } from './wire-protocol.js';

const CONTENT_TYPE = 'application/x-amz-json-1.1';

export const awsJsonProtocol: WireProtocol = {
  result(_operation: string, output: unknown, requestId: string): EmulatorResponse {
    return { status: 200, headers: { 'Content-Type': CONTENT_TYPE, 'x-amzn-RequestId': requestId }, body: JSON.stringify(output) };
  },
  error(error: AwsApiError, requestId: string): EmulatorResponse {
    return {
      errorCode: error.code,
      status: error.status,
      headers: { 'Content-Type': CONTENT_TYPE, 'x-amzn-RequestId': requestId },
      body: JSON.stringify({ __type: error.code, message: error.message }),
    };
  },
};
