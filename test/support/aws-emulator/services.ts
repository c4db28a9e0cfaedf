/**
 * The three emulated services: their SigV4 signing names, wire protocols, and the error codes each
 * answers for authentication failures, throttling and server faults.
 */
import { AwsApiError } from './api-error.js';
import { awsJsonProtocol } from './aws-json-protocol.js';
import { awsQueryProtocol } from './aws-query-protocol.js';
import { restJsonProtocol } from './rest-json-protocol.js';
import type { SigV4FailureReason } from './sigv4.js';
import type { WireProtocol } from './wire-protocol.js';

export interface EmulatedService {
  readonly signingName: 'cloudtrail' | 'securityhub' | 'sts';
  readonly protocol: WireProtocol;
  authError(reason: SigV4FailureReason, message: string): AwsApiError;
  throttlingError(): AwsApiError;
  serverError(status: 500 | 503): AwsApiError;
  /** An operation of the service that the emulator does not implement. */
  unknownOperationError(operation: string): AwsApiError;
}

/** JSON services name authentication failures with `...Exception` codes. */
function jsonAuthError(reason: SigV4FailureReason, message: string): AwsApiError {
  switch (reason) {
    case 'missing-authentication':
      return new AwsApiError('MissingAuthenticationTokenException', 403, message);
    case 'incomplete-signature':
      return new AwsApiError('IncompleteSignatureException', 400, message);
    case 'unknown-access-key':
      return new AwsApiError('UnrecognizedClientException', 403, message);
    default:
      return new AwsApiError('InvalidSignatureException', 403, message);
  }
}

export const CLOUDTRAIL: EmulatedService = {
  signingName: 'cloudtrail',
  protocol: awsJsonProtocol,
  authError: jsonAuthError,
  // CloudTrail answers LookupEvents throttling with HTTP 400 (see FACTS.md), although the SDK model says 429.
  throttlingError: () => new AwsApiError('ThrottlingException', 400, 'Rate exceeded'),
  serverError: (status) =>
    status === 500
      ? new AwsApiError('InternalFailure', 500, 'An internal error occurred.')
      : new AwsApiError('ServiceUnavailable', 503, 'Service unavailable.'),
  unknownOperationError: (operation) => new AwsApiError('UnknownOperationException', 400, `The emulator does not implement CloudTrail ${operation}`),
};

export const SECURITY_HUB: EmulatedService = {
  signingName: 'securityhub',
  protocol: restJsonProtocol,
  authError: jsonAuthError,
  throttlingError: () => new AwsApiError('TooManyRequestsException', 429, 'Rate exceeded'),
  serverError: (status) =>
    status === 500
      ? new AwsApiError('InternalException', 500, 'Internal service failure.')
      : new AwsApiError('ServiceUnavailable', 503, 'Service unavailable.'),
  unknownOperationError: (operation) => new AwsApiError('UnknownOperationException', 404, `The emulator does not implement Security Hub ${operation}`),
};

export const STS: EmulatedService = {
  signingName: 'sts',
  protocol: awsQueryProtocol,
  authError: (reason, message) => {
    switch (reason) {
      case 'missing-authentication':
        return new AwsApiError('MissingAuthenticationToken', 403, message);
      case 'incomplete-signature':
        return new AwsApiError('IncompleteSignature', 400, message);
      case 'unknown-access-key':
        return new AwsApiError('InvalidClientTokenId', 403, message);
      default:
        return new AwsApiError('SignatureDoesNotMatch', 403, message);
    }
  },
  throttlingError: () => new AwsApiError('Throttling', 400, 'Rate exceeded'),
  serverError: (status) =>
    status === 500
      ? new AwsApiError('InternalFailure', 500, 'An internal error occurred.')
      : new AwsApiError('ServiceUnavailable', 503, 'Service unavailable.'),
  unknownOperationError: (operation) => new AwsApiError('InvalidAction', 400, `Could not find operation ${operation} for version 2011-06-15`),
};
