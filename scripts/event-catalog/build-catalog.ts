import type { ServiceModel } from './botocore-models.js';
import { EVENT_NAME_SUFFIXES, EVENT_SOURCE_OF_ENDPOINT_PREFIX, UNLOGGED_ENDPOINT_PREFIXES } from './event-sources.js';

/** The generated catalog file: where it came from, and each event source's operation names, sorted. */
export interface GeneratedCatalog {
  readonly generatedFrom: string;
  readonly eventNames: Readonly<Record<string, readonly string[]>>;
}

/** The event source CloudTrail writes for a service with this endpoint prefix. */
export function eventSourceOf(endpointPrefix: string): string {
  return EVENT_SOURCE_OF_ENDPOINT_PREFIX[endpointPrefix] ?? `${endpointPrefix}.amazonaws.com`;
}

/**
 * Every model's operations under its event source; services sharing a source (SES v1 and v2) are merged,
 * and those CloudTrail never logs (the IoT data plane) are left out.
 */
export function buildCatalog(models: readonly ServiceModel[], generatedFrom: string): GeneratedCatalog {
  const names = new Map<string, Set<string>>();
  for (const model of models) {
    if (Object.hasOwn(UNLOGGED_ENDPOINT_PREFIXES, model.endpointPrefix)) continue;
    const source = eventSourceOf(model.endpointPrefix);
    const known = names.get(source) ?? new Set<string>();
    const suffixes = EVENT_NAME_SUFFIXES[source] ?? [];
    for (const name of model.operationNames) {
      known.add(name);
      for (const suffix of suffixes) known.add(`${name}${suffix}`);
    }
    names.set(source, known);
  }
  const sources = [...names.keys()].sort();
  return { generatedFrom, eventNames: Object.fromEntries(sources.map((source) => [source, [...(names.get(source) ?? [])].sort()])) };
}

/** The catalog as committed: one event source a line, so that a regeneration's diff shows which services changed. */
export function catalogText(catalog: GeneratedCatalog): string {
  const lines = Object.entries(catalog.eventNames).map(([source, names]) => `    ${JSON.stringify(source)}: ${JSON.stringify(names)}`);
  return `{\n  "generatedFrom": ${JSON.stringify(catalog.generatedFrom)},\n  "eventNames": {\n${lines.join(',\n')}\n  }\n}\n`;
}
