import path from 'node:path';
import type { Config, SinkSpec, SourceSpec, Suppression } from './config.js';
import type { SeverityLabel } from '../ruleset/rule.js';

export const CONFIG_DEFAULTS = {
  statePath: '.lfvaudit/state.json',
  deliveryLagMinutes: 15,
  overlapMinutes: 60,
  lookbackHours: 24,
  lockStaleMinutes: 10,
  securityHubSettleSeconds: 60,
} as const;

/**
 * Fills in defaults and makes paths absolute against the config file's folder (or the working
 * directory when there is no file). Expects a value that passed validateConfigShape.
 */
export function normalizeConfig(raw: Readonly<Record<string, unknown>>, file: string | undefined, baseDir: string): Config {
  const value = raw as {
    rules?: { builtIn?: boolean; paths?: string[]; disable?: string[] };
    params?: Record<string, unknown>;
    lists?: Record<string, unknown[]>;
    sources?: SourceSpec[];
    scheduled?: boolean;
    sinks?: SinkSpec[];
    failOn?: SeverityLabel;
    securityHub?: { accountId?: string; region?: string; assumeRole?: string; settleSeconds?: number };
    state?: { path?: string; deliveryLagMinutes?: number; overlapMinutes?: number; lookbackHours?: number; lockStaleMinutes?: number };
    suppressions?: Suppression[];
  };
  const resolve = (p: string): string => path.resolve(baseDir, p);
  // A Map-backed copy: parameter names come from a user's file, so never let them reach a prototype.
  const params: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [name, paramValue] of Object.entries(value.params ?? {})) params[name] = paramValue;
  const lists: Record<string, readonly unknown[]> = Object.create(null) as Record<string, readonly unknown[]>;
  for (const [name, values] of Object.entries(value.lists ?? {})) lists[name] = values;
  return {
    ...(file === undefined ? {} : { file }),
    rules: {
      builtIn: value.rules?.builtIn ?? true,
      paths: (value.rules?.paths ?? []).map(resolve),
      disable: value.rules?.disable ?? [],
    },
    params,
    lists,
    sources: (value.sources ?? []).map((source) => (source.type === 'file' ? { ...source, path: resolve(source.path) } : source)),
    scheduled: value.scheduled ?? false,
    sinks: (value.sinks ?? [{ type: 'stdout' }]).map((sink) => (sink.type === 'file' ? { ...sink, path: resolve(sink.path) } : sink)),
    ...(value.failOn === undefined ? {} : { failOn: value.failOn }),
    securityHub: { ...value.securityHub, settleSeconds: value.securityHub?.settleSeconds ?? CONFIG_DEFAULTS.securityHubSettleSeconds },
    state: {
      path: resolve(value.state?.path ?? CONFIG_DEFAULTS.statePath),
      deliveryLagMinutes: value.state?.deliveryLagMinutes ?? CONFIG_DEFAULTS.deliveryLagMinutes,
      overlapMinutes: value.state?.overlapMinutes ?? CONFIG_DEFAULTS.overlapMinutes,
      lookbackHours: value.state?.lookbackHours ?? CONFIG_DEFAULTS.lookbackHours,
      lockStaleMinutes: value.state?.lockStaleMinutes ?? CONFIG_DEFAULTS.lockStaleMinutes,
    },
    suppressions: value.suppressions ?? [],
  };
}
