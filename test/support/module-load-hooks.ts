import { appendFileSync } from 'node:fs';

/**
 * Module customization hooks (registered by module-load-log.ts, run on node's hooks thread): appends the
 * URL of every module the ES module loader loads to the file given at registration.
 */
let logFile: string | undefined;

export function initialize(data: { readonly logFile: string }): void {
  logFile = data.logFile;
}

export async function load(url: string, context: unknown, nextLoad: (url: string, context: unknown) => Promise<unknown>): Promise<unknown> {
  if (logFile !== undefined) appendFileSync(logFile, `${url}\n`);
  return nextLoad(url, context);
}
