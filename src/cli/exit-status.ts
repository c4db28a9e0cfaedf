/** Exit statuses a scheduler can act on. */
export const ExitStatus = {
  /** The audit completed (and found nothing at or above --fail-on). */
  ok: 0,
  /** The audit completed and found something at or above --fail-on. */
  findings: 1,
  /** Usage, config, rule or input error, or an incomplete run: fix something and run again. */
  error: 2,
} as const;
export type ExitStatus = (typeof ExitStatus)[keyof typeof ExitStatus];
