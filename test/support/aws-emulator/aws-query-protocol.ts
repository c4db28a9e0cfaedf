/**
 * awsQuery (STS): form-encoded requests, XML responses wrapped in `<Operation>Response` /
 * `<Operation>Result`, errors as `<ErrorResponse><Error><Type/><Code/><Message/></Error>`.
 * https://smithy.io/2.0/aws/protocols/aws-query-protocol.html
 */
import type { AwsApiError } from './api-error.js';
import { isJsonObject } from './json-value.js';
import type { EmulatorResponse, WireProtocol } from './wire-protocol.js';

const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

export const awsQueryProtocol: WireProtocol = {
  /** Results are structures of strings (GetCallerIdentity, AssumeRole's Credentials and AssumedRoleUser). */
  result(operation: string, output: unknown, requestId: string): EmulatorResponse {
    const members = xmlMembers(output);
    return xml(
      200,
      `<${operation}Response xmlns="${STS_NAMESPACE}"><${operation}Result>${members}</${operation}Result>` +
        `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>`,
      requestId,
    );
  },
  error(error: AwsApiError, requestId: string): EmulatorResponse {
    const response = xml(
      error.status,
      `<ErrorResponse xmlns="${STS_NAMESPACE}"><Error><Type>${error.fault}</Type><Code>${escapeXml(error.code)}</Code>` +
        `<Message>${escapeXml(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      requestId,
    );
    return { ...response, errorCode: error.code };
  },
};

function xmlMembers(value: unknown): string {
  if (!isJsonObject(value)) return '';
  return Object.entries(value)
    .map(([name, member]) =>
      typeof member === 'string' ? `<${name}>${escapeXml(member)}</${name}>` : isJsonObject(member) ? `<${name}>${xmlMembers(member)}</${name}>` : '',
    )
    .join('');
}

function xml(status: number, body: string, requestId: string): EmulatorResponse {
  return { status, headers: { 'Content-Type': 'text/xml', 'x-amzn-RequestId': requestId }, body: `<?xml version="1.0" encoding="UTF-8"?>\n${body}` };
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
