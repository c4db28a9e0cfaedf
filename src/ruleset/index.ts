/** The ruleset stage: rule files in, validated and parameter-resolved rules out. */
export { loadRuleDefinitions, type LoadedRuleDefinitions, type RuleSelection } from './load-rule-definitions.js';
export { resolveRules, type ParamValues, type ResolveOptions, type ResolvedRules } from './resolve-rules.js';
export {
  DECORATORS,
  OPERATORS,
  evaluateOperator,
  operatorNamed,
  parseOperator,
  prepareOperand,
  type DecoratedOperator,
  type DecoratorDefinition,
  type OperatorDefinition,
  type OperatorValueKind,
} from './operators.js';
export { readFactPath } from './fact-path.js';
export { isFactReference, isParamReference, type FactReference } from './rule-definition.js';
export { CLOUDTRAIL_RECORD_SHAPE, lookupFactPath, type FieldShape, type FieldType } from './record-shape.js';
export { LOOKOUT_FOR_VISION_EVENT_NAMES, LOOKOUT_FOR_VISION_EVENT_SOURCE, eventCatalog, knownEventNames, type EventCatalog } from './event-catalog.js';
export {
  checkEventNamePart,
  checkEventNameValue,
  checkEventSourceValue,
  eventNameScope,
  eventNameVerdict,
  eventSourceVerdict,
  type CatalogVerdict,
  type EventNameScope,
  type EventValue,
  type NamePart,
} from './event-catalog-checks.js';
export { GROUP_KEYS } from './rule-semantics.js';
export { builtInRulesFolder, ruleSchemaFile } from './package-paths.js';
export * from './rule.js';
