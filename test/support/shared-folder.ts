import { join } from 'node:path';
import { repoRoot } from './repo-root.js';

/**
 * The folder of public data kept outside the repository (corpora of CloudTrail events, SigmaHQ's rules):
 * `../shared` next to the checkout, or LFVAUDIT_SHARED when the checkout lives elsewhere (a git worktree).
 * Tests that read it skip when it is absent; nothing from it is copied into the repository.
 */
export function sharedFolder(): string {
  return process.env.LFVAUDIT_SHARED ?? join(repoRoot(), '..', 'shared');
}
