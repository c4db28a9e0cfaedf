import type { SinkSpec } from '../config/config.js';
import type { FindingRule } from '../findings/asff-finding.js';
import { FileFindingSink } from './file-sink.js';
import type { FindingSink } from './finding-sink.js';
import { SecurityHubSink } from './securityhub-sink.js';
import { StdoutTableSink } from './stdout-sink.js';
import { tableWidthOf } from '../shared/text-table.js';

export interface SinkContext {
  readonly stdout: { write(text: string): unknown; readonly isTTY?: boolean; readonly columns?: number };
  readonly format: 'table' | 'json';
  /** The run's rules: the Security Hub sink renders merged findings with them. */
  readonly rules?: readonly FindingRule[];
  /** `securityHub:` in the config: the receiving account and default region. */
  readonly securityHub?: { readonly accountId?: string; readonly region?: string; readonly assumeRole?: string; readonly settleSeconds?: number };
  /** `--dry-run`: the Security Hub sink prints what it would change instead of importing. */
  readonly dryRun?: boolean;
  readonly now?: () => Date;
  /** Stops Security Hub calls (pacing waits, retries, requests in flight) when the run is stopped. */
  readonly signal?: AbortSignal;
}

/** The sink a config entry or `--sink` names. */
export function sinkFromSpec(spec: SinkSpec, context: SinkContext): FindingSink {
  switch (spec.type) {
    case 'file':
      return new FileFindingSink(spec.path);
    case 'stdout':
      return new StdoutTableSink({ out: context.stdout, format: context.format, columns: tableWidthOf(context.stdout), color: context.stdout.isTTY === true });
    case 'securityhub': {
      const region = spec.region ?? context.securityHub?.region;
      const accountId = context.securityHub?.accountId;
      return new SecurityHubSink({
        ...(region === undefined ? {} : { region }),
        ...(accountId === undefined ? {} : { accountId }),
        ...(context.securityHub?.assumeRole === undefined ? {} : { assumeRole: context.securityHub.assumeRole }),
        ...(context.securityHub?.settleSeconds === undefined ? {} : { guard: { settleMs: context.securityHub.settleSeconds * 1000 } }),
        rules: context.rules ?? [],
        now: context.now ?? (() => new Date()),
        ...(context.signal === undefined ? {} : { api: { signal: context.signal } }),
        ...(context.dryRun === true ? { dryRun: { out: context.stdout, format: context.format, columns: tableWidthOf(context.stdout) } } : {}),
      });
    }
  }
}
