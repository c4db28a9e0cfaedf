/**
 * Exit statuses a scheduler can act on. When several apply, the one that asks for the most attention
 * wins: 2 (the audit is not whole), then 3 (the evidence contradicts itself), then 1 (findings).
 * A run stopped by SIGINT or SIGTERM exits 130 or 143 (128 + the signal's number), set by bin/lfvaudit.
 * A reader that closes stdout early (`lfvaudit run | head`) changes nothing: the run ends as it would have.
 */
export const ExitStatus = {
  /** The audit completed (and found nothing at or above --fail-on). */
  ok: 0,
  /** The audit completed and found something at or above --fail-on. */
  findings: 1,
  /** Usage, config, rule or input error, or an incomplete run: fix something and run again. */
  error: 2,
  /**
   * The audit completed, but a record reused the eventID of another with other content (an integrity
   * conflict): both were evaluated and written; someone must find out which one is genuine.
   */
  integrityConflict: 3,
} as const;
export type ExitStatus = (typeof ExitStatus)[keyof typeof ExitStatus];
