import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';

/**
 * Preloaded into a child process (`node --import …/module-load-log.js`) to learn which modules it loaded:
 * ES modules through a load hook, CommonJS ones (what `require` loaded, which the hooks do not see on
 * Node 20) from the require cache at exit. One URL or path a line, in the file named by
 * LFVAUDIT_MODULE_LOG. See loadedPackages() in loaded-packages.ts.
 */
const logFile = process.env['LFVAUDIT_MODULE_LOG'];

if (logFile !== undefined && logFile !== '') {
  register('./module-load-hooks.js', import.meta.url, { data: { logFile } });
  const cache = createRequire(import.meta.url).cache;
  process.on('exit', () => {
    appendFileSync(
      logFile,
      Object.keys(cache)
        .map((file) => `${pathToFileURL(file).href}\n`)
        .join(''),
    );
  });
}
