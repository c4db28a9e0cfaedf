// Types only, erased at runtime: @smithy/types is the SDK's own type package, installed with every client.
import type { FinalizeRequestMiddleware, MiddlewareStack } from '@smithy/types';

const READ_MIDDLEWARE_NAME = 'lfvauditReadWithinAttempt';

/**
 * Sends a command whose answer is only had once its streamed body is read (S3 GetObject), reading it
 * inside each HTTP attempt: the middleware sits right after the SDK's retry middleware, so a body cut
 * short mid-stream fails its attempt and the client's retry policy tries again, as it does a
 * connection reset before the headers. The SDK alone would hand the stream back and be done. Returns
 * what `read` made of the attempt that succeeded.
 */
export async function readWithinAttempt<Input extends object, Output extends object, T>(
  command: { readonly middlewareStack: MiddlewareStack<Input, Output> },
  send: () => Promise<unknown>,
  read: (output: Output) => Promise<T>,
): Promise<T> {
  let body: { readonly value: T } | undefined;
  const readBody: FinalizeRequestMiddleware<Input, Output> = (next) => async (args) => {
    const answer = await next(args);
    body = { value: await read(answer.output) };
    return answer;
  };
  command.middlewareStack.addRelativeTo(readBody, { relation: 'after', toMiddleware: 'retryMiddleware', name: READ_MIDDLEWARE_NAME });
  await send();
  if (body === undefined) throw new Error(`${READ_MIDDLEWARE_NAME} did not run: the command answered without its body being read`);
  return body.value;
}
