import type { SinkSpec } from '../config/config.js';
import { FileFindingSink } from './file-sink.js';
import type { FindingSink } from './finding-sink.js';
import { StdoutTableSink } from './stdout-sink.js';

export interface SinkContext {
  readonly stdout: { write(text: string): unknown; readonly isTTY?: boolean; readonly columns?: number };
  readonly format: 'table' | 'json';
}

/** The sink a config entry or `--sink` names. */
export function sinkFromSpec(spec: SinkSpec, context: SinkContext): FindingSink {
  switch (spec.type) {
    case 'file':
      return new FileFindingSink(spec.path);
    case 'stdout':
      return new StdoutTableSink({ out: context.stdout, format: context.format, columns: context.stdout.columns ?? 120, color: context.stdout.isTTY === true });
    case 'securityhub':
      throw new Error(`sink type ${spec.type} is not available in this version of lfvaudit`);
  }
}
