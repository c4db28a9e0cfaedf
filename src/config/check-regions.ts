import { unknownRegionProblem } from '../aws/regions.js';
import type { Diagnostic } from '../shared/diagnostics.js';
import { keyPathOf, type PositionOf } from './validate-config.js';

/**
 * Every Region the config names (securityHub.region, a source's regions, a Security Hub sink's region)
 * checked against the known AWS Regions, so that a made-up one (`us-east-99`) stops the run before any
 * AWS call. `value` has passed the schema check.
 */
export function unknownRegionDiagnostics(value: unknown, file: string, positionOf: PositionOf, keyPrefix: string): Diagnostic[] {
  const config = (value ?? {}) as {
    readonly securityHub?: { readonly region?: string };
    readonly sources?: readonly { readonly regions?: readonly string[] }[];
    readonly sinks?: readonly { readonly region?: string }[];
  };
  const named: [pointer: string, region: string][] = [];
  if (config.securityHub?.region !== undefined) named.push(['/securityHub/region', config.securityHub.region]);
  for (const [index, source] of (config.sources ?? []).entries())
    for (const [at, region] of (source.regions ?? []).entries()) named.push([`/sources/${index}/regions/${at}`, region]);
  for (const [index, sink] of (config.sinks ?? []).entries()) if (sink.region !== undefined) named.push([`/sinks/${index}/region`, sink.region]);
  return named.flatMap(([pointer, region]) => {
    const problem = unknownRegionProblem(region);
    if (problem === undefined) return [];
    return [{ file, ...positionOf(pointer), code: 'unknown-region', message: `${keyPrefix}${keyPathOf(pointer)}: ${problem}`, severity: 'error' as const }];
  });
}
