import { writeSync } from 'node:fs';

// Preloaded with `node --import` into a child process under test: on exit it writes the process's peak
// resident set size to stderr, so a test can bound the memory of a real CLI run.
process.on('exit', () => {
  writeSync(2, `\npeak-rss-kib=${process.resourceUsage().maxRSS}\n`);
});
