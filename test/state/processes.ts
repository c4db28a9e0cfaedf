import type { ExecutionContext } from 'ava';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

/** The pid of a process that has already exited (a crashed run's pid). */
export async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await once(child, 'exit');
  if (child.pid === undefined) throw new Error('the child process did not start');
  return child.pid;
}

/** The pid of a process that keeps running until the test ends (a run still in progress). */
export async function livePid(t: ExecutionContext): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  await once(child, 'spawn');
  t.teardown(() => {
    child.kill();
  });
  if (child.pid === undefined) throw new Error('the child process did not start');
  return child.pid;
}

/** Separate processes, each trying to take a run lock whenever asked, all at the same moment. */
export interface LockContenders {
  /**
   * Asks every contender to take the run lock of `stateFile` at once; resolves to each one's outcome:
   * `acquired`, `refused`, or `failed: <message>`. A winner keeps its lock and stays alive, so the
   * others judge a live holder.
   */
  race(stateFile: string): Promise<string[]>;
}

export async function startLockContenders(t: ExecutionContext, count: number, hostname: string): Promise<LockContenders> {
  const runLockModule = new URL('../../src/state/run-lock.js', import.meta.url).href;
  const contender = `
    import { createInterface } from 'node:readline';
    const { acquireRunLock } = await import(process.argv[1]);
    process.stdout.write('ready\\n');
    for await (const stateFile of createInterface({ input: process.stdin })) {
      let outcome;
      try {
        await acquireRunLock(stateFile, { now: new Date(), pid: process.pid, hostname: process.argv[2] });
        outcome = 'acquired';
      } catch (error) {
        outcome = error.name === 'RunLockHeldError' ? 'refused' : 'failed: ' + error.message;
      }
      process.stdout.write(outcome + '\\n');
    }`;
  const children = Array.from({ length: count }, () =>
    spawn(process.execPath, ['--input-type=module', '-e', contender, runLockModule, hostname], { stdio: ['pipe', 'pipe', 'inherit'] }),
  );
  const exited = children.map((child) => once(child, 'exit'));
  t.teardown(async () => {
    for (const child of children) child.stdin.end();
    await Promise.all(exited);
  });
  const answers = children.map((child) => createInterface({ input: child.stdout })[Symbol.asyncIterator]());
  const nextAnswers = (): Promise<string[]> => Promise.all(answers.map(async (lines) => String((await lines.next()).value)));
  await nextAnswers(); // every contender is ready
  return {
    race(stateFile) {
      for (const child of children) child.stdin.write(`${stateFile}\n`);
      return nextAnswers();
    },
  };
}
