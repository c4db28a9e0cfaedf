/**
 * restJson1 (Security Hub): results as JSON bodies, errors named by the `x-amzn-ErrorType` header
 * with `{"Code": ..., "Message": ...}` in the body (Security Hub's error shapes have both members).
 * https://smithy.io/2.0/aws/protocols/aws-restjson1-protocol.html
 */
import type { AwsApiError } from './api-error.js';
import type { EmulatorResponse, WireProtocol } from './wire-protocol.js';

export const restJsonProtocol: WireProtocol = {
  result(_operation: string, output: unknown, requestId: string): EmulatorResponse {
    return { status: 200, headers: { 'Content-Type': 'application/json', 'x-amzn-RequestId': requestId }, body: JSON.stringify(output) };
  },
  error(error: AwsApiError, requestId: string): EmulatorResponse {
    return {
      errorCode: error.code,
      status: error.status,
      headers: { 'Content-Type': 'application/json', 'x-amzn-RequestId': requestId, 'x-amzn-ErrorType': error.code },
      body: JSON.stringify({ Code: error.code, Message: error.message }),
    };
  },
};
