import { createHash } from 'node:crypto';
import { open, rm, stat } from 'node:fs/promises';
import { createLockFile, readLockFile, sameFile, type FileIdentity } from './lock-file.js';
import type { LockHolder } from './lock-holder.js';

export type TakeoverOutcome =
  | { readonly kind: 'taken'; readonly identity: FileIdentity }
  /** Another run is taking this abandoned lock over right now. */
  | { readonly kind: 'contended' }
  /** The lock file is no longer the abandoned one: judge the new one. */
  | { readonly kind: 'changed' };

/**
 * The claim that entitles one run to replace one abandoned lock file. Its name derives from that
 * file's identity, so that every run wanting to replace the same abandoned file races for the same
 * O_EXCL create, and a later lock file gets a different claim.
 */
export function takeoverClaimPath(lockPath: string, abandoned: FileIdentity, round: number): string {
  const digest = createHash('sha256').update(`${abandoned.dev}:${abandoned.ino}:${abandoned.text}`).digest('hex').slice(0, 16);
  return `${lockPath}.takeover-${digest}.${round}`;
}

/**
 * Replaces an abandoned lock file with ours so that of several runs doing so at once exactly one succeeds.
 *
 * Renaming or removing the abandoned file directly is not enough: a run that judged it abandoned a
 * moment ago would then remove the lock the winner has just created (POSIX has no compare-and-swap on
 * a path). So a run first creates the claim for that very file with O_EXCL: only its winner checks that
 * the lock path still holds the abandoned file, removes it, and creates its own with O_EXCL. The
 * others are refused as contended. A claim left behind by a run that crashed mid-takeover is older than
 * `claimGraceMs` (a takeover takes milliseconds); then the next round's claim is raced for instead, so
 * nothing ever removes a claim that a live run might hold. (A run that stalls for longer than the grace
 * in the middle of its takeover could still collide with the next round's winner: any lease has that limit.)
 */
export async function takeOverAbandonedLock(
  lockPath: string,
  abandoned: FileIdentity,
  holder: LockHolder,
  options: { readonly now: Date; readonly claimGraceMs: number },
): Promise<TakeoverOutcome> {
  const claims: string[] = [];
  for (let round = 1; ; round += 1) {
    const claim = takeoverClaimPath(lockPath, abandoned, round);
    claims.push(claim);
    if (await createClaim(claim)) break;
    const claimAge = await ageOf(claim, options.now);
    if (claimAge === undefined) return { kind: 'changed' }; // its winner finished and removed it
    if (claimAge <= options.claimGraceMs) return { kind: 'contended' };
  }
  // Only the winner removes claims, and only once its own lock exists (or it found the lock changed):
  // a claim removed earlier could be won again by a run that would then remove the winner's new lock.
  try {
    const current = await readLockFile(lockPath);
    if (current === undefined || !sameFile(current.identity, abandoned)) return { kind: 'changed' };
    await rm(lockPath, { force: true });
    const identity = await createLockFile(lockPath, holder);
    return identity === undefined ? { kind: 'changed' } : { kind: 'taken', identity };
  } finally {
    await Promise.all(claims.map((claim) => rm(claim, { force: true })));
  }
}

async function createClaim(claim: string): Promise<boolean> {
  try {
    await (await open(claim, 'wx')).close();
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** How long ago the claim was made; undefined when it has just been removed (its winner finished). */
async function ageOf(claim: string, now: Date): Promise<number | undefined> {
  try {
    return now.getTime() - (await stat(claim)).mtimeMs;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
