import type { LookupEventsCommand, LookupEventsCommandInput, LookupEventsCommandOutput } from '@aws-sdk/client-cloudtrail';
// Types only, erased at runtime: @smithy/types is the SDK's own type package, installed with every client.
import type { FinalizeRequestMiddleware } from '@smithy/types';
import type { RequestPacer } from './request-pacer.js';

/**
 * Makes every HTTP attempt of the command go through the pacer, the SDK's own retries included: the
 * middleware sits right after the SDK's retry middleware (which re-runs everything below it once
 * per attempt) and before signing, so each attempt is signed when it actually leaves; it tells the
 * pacer when the attempt ended, response body read. It is added to the command, not to the client,
 * so a client handed in is left as it was.
 *
 * Stack order, from `client.middlewareStack.concat(command.middlewareStack).identify()`:
 * … retryMiddleware, lookupEventsPacer, httpSigningMiddleware, deserializerMiddleware.
 */
export function paceEveryAttempt(command: LookupEventsCommand, pacer: RequestPacer, signal: AbortSignal | undefined): LookupEventsCommand {
  const pace: FinalizeRequestMiddleware<LookupEventsCommandInput, LookupEventsCommandOutput> = (next) => async (args) => {
    const ended = await pacer.start(signal);
    try {
      return await next(args);
    } finally {
      ended();
    }
  };
  command.middlewareStack.addRelativeTo(pace, { relation: 'after', toMiddleware: 'retryMiddleware', name: PACER_MIDDLEWARE_NAME });
  return command;
}

export const PACER_MIDDLEWARE_NAME = 'lookupEventsPacer';
