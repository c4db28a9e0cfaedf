import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { load } from 'js-yaml';
import { eventCatalog, knownEventNames } from '../../src/ruleset/index.js';
import { repoRoot } from '../support/repo-root.js';

// Public CloudTrail events and SigmaHQ rules (see ../shared/corpora/SOURCES.md); read in place, never copied.
const corpora = path.join(repoRoot(), '..', 'shared', 'corpora');
const available = existsSync(corpora);

/**
 * Pairs in the corpora that the catalog deliberately does not know, with the reason: mostly test events
 * that detection projects wrote by hand (a source paired with another service's operation, IAM action
 * names in place of event names), and mistakes in the rules themselves, which validation reports.
 */
const ACCEPTED_RECORD_PAIRS: Readonly<Record<string, string>> = {
  'billingconsole.amazonaws.com GetAlternateContact': 'Panther test event: the billing console internal source',
  'billingconsole.amazonaws.com GetContactInformation': 'Panther test event: the billing console internal source',
  'cloudtrail.amazonaws.com DeleteRule': 'Panther test event: an EventBridge operation under the CloudTrail source',
  'cloudtrail.amazonaws.com DescribeTrail': 'Panther test event: the operation is DescribeTrails',
  'cloudtrail.amazonaws.com EnableRegion': 'Panther test event: an Account operation under the CloudTrail source',
  'ec2.amazonaws.com DeleteBucketEncryption': 'Panther negative test: an S3 operation under the EC2 source',
  'ec2.amazonaws.com DeleteBucketPublicAccessBlock': 'Panther negative test: an S3 operation under the EC2 source',
  'ec2.amazonaws.com DeleteBucketReplication': 'Panther negative test: an S3 operation under the EC2 source',
  'ec2.amazonaws.com PutBucketLogging': 'Panther negative test: an S3 operation under the EC2 source',
  'ec2.amazonaws.com PutBucketVersioning': 'Panther negative test: an S3 operation under the EC2 source',
  'ec2.amazonaws.com RegisterManagedInstance': 'Panther negative test: an SSM agent call under the EC2 source',
  'ec2messages.amazonaws.com SendHeartbeat': 'Panther test event: not an action of the ec2messages service authorization reference',
  'iam.amazonaws.com DescribePolicy': 'Panther test event: IAM has GetPolicy',
  'iam.amazonaws.com DetachUserGroup': 'Panther test event: IAM has RemoveUserFromGroup',
  'iam.amazonaws.com NotCreateUser': 'Panther negative test: a made-up name',
  'iam.amazonaws.com PutPolicy': 'Panther test event: IAM has PutUserPolicy, PutRolePolicy, PutGroupPolicy',
  'macie.amazonaws.com UpdateMacieSession': 'Panther test event: Macie logs as macie2.amazonaws.com',
  's3.amazonaws.com CreateServiceLinkedRole': 'Panther negative test: an IAM operation under the S3 source',
  's3.amazonaws.com SetQueueAttributes': 'Panther negative test: an SQS operation under the S3 source',
  's3.amazonaws.com ListAllMyBuckets': 'Panther test event: an IAM action name; CloudTrail writes ListBuckets',
  's3.amazonaws.com ListBucket': 'Panther test event: an IAM action name; CloudTrail writes ListObjects',
  'signin.amazonaws.com AssumeRole': 'Panther test event: an STS operation under the sign-in source',
  'sso.amazonaws.com CreateToken': 'Panther test event: IAM Identity Center OIDC logs as sso-oauth.amazonaws.com',
};

const ACCEPTED_SIGMA_PAIRS: Readonly<Record<string, string>> = {
  'elasticache.amazonaws.com AuthorizeCacheSecurityGroupEgress': "the rule's mistake: ElastiCache security groups have only Ingress operations",
  'elasticache.amazonaws.com RevokeCacheSecurityGroupEgress': "the rule's mistake: ElastiCache security groups have only Ingress operations",
  'route53.amazonaws.com DisableDomainTransferLock': 'a Route 53 Domains operation, logged as route53domains.amazonaws.com',
  'route53.amazonaws.com TransferDomainToAnotherAwsAccount': 'a Route 53 Domains operation, logged as route53domains.amazonaws.com',
  's3.amazonaws.com PutEncryptionConfiguration': 'an IAM action name; CloudTrail writes PutBucketEncryption',
  's3.amazonaws.com PutLifecycleConfiguration': 'an IAM action name; CloudTrail writes PutBucketLifecycle(Configuration)',
  's3.amazonaws.com PutReplicationConfiguration': 'an IAM action name; CloudTrail writes PutBucketReplication',
  's3.amazonaws.com ReplicateObject': 'an IAM action name of S3 replication, which CloudTrail does not log as an event name',
  'ec2.amazonaws.com GetBucketReplication': 'unsupported/ rule: an S3 operation under the EC2 source',
};

/** Whether the catalog has the name for the source, or for any source when it is `any`. */
function isKnown(source: string, name: string): boolean {
  if (source !== 'any' && eventCatalog().namesOf(source) === undefined) return false;
  return knownEventNames(source === 'any' ? 'any' : [source])?.has(name) ?? false;
}

/** Every eventSource/eventName pair in a JSON value: records, EventBridge envelopes, LookupEvents' CloudTrailEvent strings, Panther test rows. */
function recordPairs(value: unknown, found: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) recordPairs(item, found);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const record = value as Record<string, unknown>;
  if (typeof record.eventSource === 'string' && typeof record.eventName === 'string') found.add(`${record.eventSource} ${record.eventName}`);
  if (typeof record.CloudTrailEvent === 'string') recordPairs(JSON.parse(record.CloudTrailEvent), found);
  for (const child of Object.values(record)) recordPairs(child, found);
}

(available ? test : test.skip)('every eventSource/eventName pair in the corpora is in the catalog or deliberately accepted', (t) => {
  const found = new Set<string>();
  for (const file of readdirSync(corpora).filter((name) => name.endsWith('.jsonl'))) {
    for (const line of readFileSync(path.join(corpora, file), 'utf8').split('\n')) if (line.trim() !== '') recordPairs(JSON.parse(line), found);
  }
  t.true(found.size > 400, String(found.size));
  const unknown = [...found].filter((pair) => !isKnown(...(pair.split(' ') as [string, string]))).sort();
  t.deepEqual(unknown, Object.keys(ACCEPTED_RECORD_PAIRS).sort());
});

/** The plain values (no wildcard, no modifier) a Sigma detection compares a field with, from every selection. */
function sigmaValues(detection: unknown, field: string, found: string[]): void {
  if (Array.isArray(detection)) {
    for (const item of detection) sigmaValues(item, field, found);
    return;
  }
  if (typeof detection !== 'object' || detection === null) return;
  for (const [key, value] of Object.entries(detection)) {
    if (key === field) {
      for (const item of Array.isArray(value) ? value : [value]) if (typeof item === 'string' && !/[*?]/.test(item)) found.push(item);
    } else if (!key.startsWith(`${field}|`)) {
      sigmaValues(value, field, found);
    }
  }
}

(available ? test : test.skip)('every event name and source the SigmaHQ CloudTrail rules compare with is in the catalog or deliberately accepted', (t) => {
  const folder = path.join(corpora, 'sigma_aws_cloudtrail');
  const unknown = new Set<string>();
  let rules = 0;
  for (const sub of ['rules', 'unsupported']) {
    for (const file of readdirSync(path.join(folder, sub)).filter((name) => name.endsWith('.yml'))) {
      rules += 1;
      const { detection } = load(readFileSync(path.join(folder, sub, file), 'utf8')) as { detection?: unknown };
      const sources: string[] = [];
      const names: string[] = [];
      sigmaValues(detection, 'eventSource', sources);
      sigmaValues(detection, 'eventName', names);
      for (const source of sources) if (eventCatalog().namesOf(source) === undefined) unknown.add(`${source} (source)`);
      for (const name of names) {
        const scopes = sources.length === 0 ? ['any'] : sources;
        if (!scopes.some((source) => isKnown(source, name))) unknown.add(`${scopes.join(',')} ${name}`);
      }
    }
  }
  t.true(rules >= 57, String(rules));
  t.deepEqual([...unknown].sort(), Object.keys(ACCEPTED_SIGMA_PAIRS).sort());
});
