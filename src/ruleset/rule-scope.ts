import { ANY_EVENT_SOURCE, type RuleScope } from './rule.js';

/**
 * Whether a record's eventSource is in a rule's scope. `any` takes every record, one without an
 * eventSource too (CloudTrail writes one on every record, but a rule about every source must not skip a
 * record that lacks it); `notEventSource` then leaves the named sources out. A list takes only its sources.
 * The reference evaluator, `explain` and the compiled evaluator's index all decide with this function.
 */
export function eventSourceInScope(scope: Pick<RuleScope<unknown>, 'eventSource' | 'notEventSource'>, eventSource: string | undefined): boolean {
  if (scope.eventSource === ANY_EVENT_SOURCE) return eventSource === undefined || !(scope.notEventSource ?? []).includes(eventSource);
  return eventSource !== undefined && scope.eventSource.includes(eventSource);
}

/** The sources in words, for listings and messages: `s3.amazonaws.com, ec2.amazonaws.com`, `any`, `any except sts.amazonaws.com`. */
export function eventSourceText(scope: Pick<RuleScope<unknown>, 'eventSource' | 'notEventSource'>): string {
  if (scope.eventSource !== ANY_EVENT_SOURCE) return scope.eventSource.join(', ');
  const except = scope.notEventSource ?? [];
  return except.length === 0 ? ANY_EVENT_SOURCE : `${ANY_EVENT_SOURCE} except ${except.join(', ')}`;
}
