import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AuditSummary } from '../../src/sinks/audit-summary.js';
import { CONFIG_DEFAULTS } from '../../src/config/normalize-config.js';
import { evaluatorFor } from '../../src/evaluate/evaluator-engine.js';
import type { ScheduledAuditOptions } from '../../src/audit/scheduled-audit.js';
import type { FindingSink } from '../../src/sinks/finding-sink.js';
import type { EventSource } from '../../src/sources/event-source.js';
import { lfvRecord, testRule } from '../support/lfv-record.js';

// runScheduledAudit as a library user calls it: their own sources, one rule, a sink that keeps what it gets.

/** A sink that counts its writes and keeps the findings of the last one. */
export class KeepingSink implements FindingSink {
  readonly description = 'keeping';
  writes = 0;
  findings: AwsSecurityFinding[] = [];

  write(findings: Iterable<AwsSecurityFinding>, _summary: AuditSummary): Promise<void> {
    this.writes += 1;
    this.findings = [...findings];
    return Promise.resolve();
  }
}

/** A folder of one trail file holding `count` CreateDataset calls, one an hour from `start`. */
export async function trailFolder(folder: string, start: Date, count: number): Promise<string> {
  const logs = path.join(folder, 'logs');
  await mkdir(logs, { recursive: true });
  const records = Array.from({ length: count }, (_, index) =>
    lfvRecord({ eventID: `event-${index}`, eventTime: new Date(start.getTime() + index * 3_600_000).toISOString() }),
  );
  await writeFile(path.join(logs, 'trail.json'), JSON.stringify({ Records: records }));
  return logs;
}

export function scheduledOptions(options: {
  readonly sources: readonly EventSource[];
  readonly stateFile: string;
  readonly now: Date;
  readonly sink: FindingSink;
  readonly progressKey?: string;
}): ScheduledAuditOptions {
  const rules = [testRule()];
  return {
    sources: options.sources,
    rules,
    evaluator: evaluatorFor('compiled', rules),
    sinks: [options.sink],
    now: () => options.now,
    progressKey: options.progressKey ?? 'test-key',
    state: {
      path: options.stateFile,
      deliveryLagMinutes: CONFIG_DEFAULTS.deliveryLagMinutes,
      overlapMinutes: CONFIG_DEFAULTS.overlapMinutes,
      lookbackHours: CONFIG_DEFAULTS.lookbackHours,
      lockStaleMinutes: CONFIG_DEFAULTS.lockStaleMinutes,
    },
    lockHolder: { pid: process.pid, hostname: 'library-host' },
  };
}
