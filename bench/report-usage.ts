import { appendFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

/**
 * Preloaded into every measured process (`NODE_OPTIONS=--import=…/report-usage.js`): at exit it appends one
 * JSON line with the process's peak RSS and CPU time to the file named by LFVAUDIT_BENCH_USAGE_FILE. Through
 * NODE_OPTIONS it also reaches worker processes a variant forks, so the orchestrator sees all of them; worker
 * threads share their process's figures and stay silent.
 */
const usageFile = process.env.LFVAUDIT_BENCH_USAGE_FILE;

if (usageFile !== undefined && usageFile !== '' && isMainThread) {
  process.on('exit', (exitCode) => {
    const usage = process.resourceUsage();
    const line = {
      pid: process.pid,
      ppid: process.ppid,
      exitCode,
      // maxRSS is in kilobytes, CPU times in microseconds
      maxRssKb: usage.maxRSS,
      cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6,
      uptimeSeconds: process.uptime(),
    };
    appendFileSync(usageFile, `${JSON.stringify(line)}\n`);
  });
}
