import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

import test from 'ava';

const execFileAsync = promisify(execFile);
const HEAP_GROWTH_MODULE = new URL('../src/bin/heap-growth.js', import.meta.url).href;

/**
 * Full collections in a fresh process (the flag holds for the whole process, so not this one) whose
 * live set grows to about 100 MB in steps while it makes garbage, with or without the cap.
 */
async function fullCollections(capped: boolean): Promise<number> {
  const script = `
    import { PerformanceObserver, constants } from 'node:perf_hooks';
    import { limitHeapGrowth } from ${JSON.stringify(HEAP_GROWTH_MODULE)};
    if (${String(capped)}) limitHeapGrowth();
    let full = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) if (entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) full += 1;
    }).observe({ entryTypes: ['gc'] });
    const live = [];
    for (let step = 0; step < 60; step += 1) {
      for (let index = 0; index < 20000; index += 1) live.push({ step, index, text: 'value ' + step + ' ' + index });
      let garbage = [];
      for (let index = 0; index < 100000; index += 1) garbage.push({ index });
      garbage = undefined;
      await new Promise((resolve) => setImmediate(resolve));
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    process.stdout.write(String(full) + ' ' + live.length);
  `;
  const { stdout } = await execFileAsync(process.execPath, ['--input-type=module', '-e', script]);
  const [full, live] = stdout.split(' ').map(Number);
  if (live !== 1_200_000) throw new Error(`unexpected output: ${stdout}`);
  return full ?? Number.NaN;
}

test('with heap growth capped, V8 collects fully more often as the live set grows', async (t) => {
  const [uncapped, capped] = await Promise.all([fullCollections(false), fullCollections(true)]);
  t.true(capped > uncapped, `${capped} full collections capped, ${uncapped} uncapped`);
});
