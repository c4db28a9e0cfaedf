import { didYouMean } from '../shared/did-you-mean.js';
import { excerpt, quoted } from '../shared/diagnostics.js';

/**
 * The documented shape of a CloudTrail record, so rule fact paths can be checked at load time: a
 * mistyped path silently reads `undefined` in json-rules-engine (and `notEqual` then fires on every
 * event). Sources: the CloudTrail record contents and userIdentity element references,
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html
 */
export type FieldType = 'string' | 'boolean' | 'number' | 'object' | 'list' | 'free-form';

export interface FieldShape {
  readonly type: FieldType;
  /** Objects: their documented fields. */
  readonly fields?: ReadonlyMap<string, FieldShape>;
  /** Lists: the shape of each element (addressed by index: `resources.0.ARN`). */
  readonly items?: FieldShape;
}

const text: FieldShape = { type: 'string' };
const flag: FieldShape = { type: 'boolean' };
/** Service-specific content (requestParameters, ...): any path below it is accepted, and may be absent or null. */
export const FREE_FORM_SHAPE: FieldShape = { type: 'free-form' };
const freeForm = FREE_FORM_SHAPE;

function object(fields: Record<string, FieldShape>): FieldShape {
  return { type: 'object', fields: new Map(Object.entries(fields)) };
}

function list(items: FieldShape): FieldShape {
  return { type: 'list', items };
}

const sessionIssuer = object({ type: text, principalId: text, arn: text, accountId: text, userName: text });

const userIdentity = object({
  type: text,
  principalId: text,
  arn: text,
  accountId: text,
  accessKeyId: text,
  userName: text,
  invokedBy: text,
  credentialId: text,
  identityProvider: text,
  onBehalfOf: object({ userId: text, identityStoreArn: text }),
  inScopeOf: object({ issuerType: text, credentialsIssuedTo: text, sourceArn: text, sourceAccount: text }),
  sessionContext: object({
    sessionIssuer,
    webIdFederationData: object({ federatedProvider: text, attributes: freeForm }),
    // mfaAuthenticated is the string "true" / "false", not a boolean
    attributes: object({ mfaAuthenticated: text, creationDate: text }),
    sourceIdentity: text,
    ec2RoleDelivery: text,
    assumedRoot: text,
  }),
});

export const CLOUDTRAIL_RECORD_SHAPE: FieldShape = object({
  eventVersion: text,
  userIdentity,
  eventTime: text,
  eventSource: text,
  eventName: text,
  awsRegion: text,
  sourceIPAddress: text,
  userAgent: text,
  errorCode: text,
  errorMessage: text,
  requestParameters: freeForm,
  responseElements: freeForm,
  additionalEventData: freeForm,
  requestID: text,
  eventID: text,
  readOnly: flag,
  resources: list(object({ ARN: text, accountId: text, type: text })),
  eventType: text,
  apiVersion: text,
  managementEvent: flag,
  recipientAccountId: text,
  serviceEventDetails: freeForm,
  sharedEventID: text,
  vpcEndpointId: text,
  vpcEndpointAccountId: text,
  eventCategory: text,
  addendum: object({ reason: text, updatedFields: text, originalRequestID: text, originalEventID: text }),
  sessionCredentialFromConsole: text,
  edgeDeviceDetails: freeForm,
  tlsDetails: object({ tlsVersion: text, cipherSuite: text, clientProvidedHostHeader: text }),
  insightDetails: freeForm,
});

export type FactPathLookup = { readonly ok: true; readonly type: FieldType } | { readonly ok: false; readonly message: string };

export type FieldShapeLookup = { readonly ok: true; readonly shape: FieldShape } | { readonly ok: false; readonly message: string };

const LIST_INDEX = /^(0|[1-9][0-9]*)$/;

/** Checks a dotted fact path (`userIdentity.sessionContext.attributes.mfaAuthenticated`) against the record shape. */
export function lookupFactPath(path: string, shape: FieldShape = CLOUDTRAIL_RECORD_SHAPE, shapeName?: string): FactPathLookup {
  const lookup = lookupFieldShape(path, shape, shapeName);
  return lookup.ok ? { ok: true, type: lookup.shape.type } : lookup;
}

/**
 * The shape of what a dotted path reaches: below a free-form field, free-form. `shapeName` is how messages
 * name the shape's root (`an element of resources`); default: a CloudTrail record.
 */
export function lookupFieldShape(path: string, shape: FieldShape = CLOUDTRAIL_RECORD_SHAPE, shapeName = 'a CloudTrail record'): FieldShapeLookup {
  const segments = path.split('.');
  if (segments.some((segment) => segment === '')) {
    return { ok: false, message: `${quoted(path)} is not a dotted path: segments must not be empty` };
  }
  let current = shape;
  for (const [index, segment] of segments.entries()) {
    const reached = segments.slice(0, index).join('.');
    if (current.type === 'free-form') return { ok: true, shape: current };
    if (current.type === 'list' && current.items !== undefined) {
      if (!LIST_INDEX.test(segment)) {
        return {
          ok: false,
          message: `${reached} is a list: address an element by its index, e.g. ${excerpt(`${reached}.0${tail(segments, index)}`)}, or test every element with {fact: ${excerpt(reached)}, anyElement: ...}`,
        };
      }
      current = current.items;
      continue;
    }
    const field = current.fields?.get(segment);
    if (field === undefined) {
      const known = [...(current.fields?.keys() ?? [])];
      if (known.length === 0) return { ok: false, message: `${reached} is a ${current.type} in CloudTrail records and has no field ${quoted(segment)}` };
      const where = reached === '' ? shapeName : reached;
      return { ok: false, message: `unknown field ${quoted(segment)} in ${where}${didYouMean(segment, known)}; known fields: ${known.join(', ')}` };
    }
    current = field;
  }
  return { ok: true, shape: current };
}

function tail(segments: readonly string[], from: number): string {
  const rest = segments.slice(from).join('.');
  return rest === '' ? '' : `.${rest}`;
}
