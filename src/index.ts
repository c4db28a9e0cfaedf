/**
 * lfvaudit as a library: what the CLI is a thin shell over. Compose an audit yourself (sources → rules
 * → evaluator → sinks, then runAudit), or embed the CLI (`main(argv, io)`, which never exits the process).
 */

// The pipeline
export { runAudit, hasFindingAtOrAbove, type AuditOptions, type AuditResult, type AuditProgress } from './audit/run-audit.js';
export type { AuditSummary } from './sinks/audit-summary.js';

// Config
export { loadConfig, CONFIG_SEARCH_PLACES, type LoadedConfig } from './config/load-config.js';
export type { Config, SinkSpec, SourceSpec, Suppression } from './config/config.js';

// Rules
export * from './ruleset/index.js';
export { runRuleTests, type RuleTestResult, type RuleTestOptions } from './audit/rule-test-runner.js';

// Evaluation
export { evaluatorFor, EVALUATOR_ENGINES, DEFAULT_EVALUATOR_ENGINE, type EvaluatorEngine } from './evaluate/evaluator-engine.js';
export { CompiledEvaluator } from './evaluate/compiled-evaluator.js';
export { ReferenceEvaluator } from './evaluate/reference-evaluator.js';
export type { RuleEvaluator } from './evaluate/rule-evaluator.js';
export { compileSuppressions, Suppressions, type CompiledSuppressions } from './evaluate/suppressions.js';

// Sources
export type { EventSource, SourceItem, TimeWindow } from './sources/event-source.js';
export { FileSource, type FileSourceOptions } from './sources/file/file-source.js';
export { CloudTrailSource, type CloudTrailSourceOptions } from './sources/cloudtrail/lookup-events-source.js';
export { S3TrailSource, type S3TrailSourceOptions } from './sources/s3/trail-source.js';
export { sourceFromSpec } from './sources/source-from-spec.js';

// Findings and sinks
export { buildFinding, sortFindings, severityLabelOf, type FindingRule, type BuildFindingOptions } from './findings/asff-finding.js';
export type { FindingList } from './findings/finding-list.js';
export { validateAsffFinding, ASFF_LIMITS, type AsffProblem } from './findings/asff-limits.js';
export type { FindingSink, SinkOutcome } from './sinks/finding-sink.js';
export { FileFindingSink } from './sinks/file-sink.js';
export { StdoutTableSink, type StdoutTableSinkOptions } from './sinks/stdout-sink.js';
export { SecurityHubSink, SecurityHubImportError, type SecurityHubSinkOptions } from './sinks/securityhub-sink.js';
export { sinkFromSpec } from './sinks/sink-from-spec.js';

// Diagnostics and the CLI
export { formatDiagnostic, hasErrors, type Diagnostic } from './shared/diagnostics.js';
export { main } from './cli/main.js';
export type { CliIo, OutputStream } from './cli/cli-io.js';
