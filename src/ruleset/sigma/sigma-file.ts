import type { Diagnostic } from '../../shared/diagnostics.js';
import { PositionedDiagnostics } from '../positioned-diagnostics.js';
import type { TextPosition, YamlDocument } from '../yaml-document.js';
import type { LoadedRuleItem } from './link-sigma-correlations.js';
import { sigmaCorrelation } from './sigma-correlation.js';
import { isSigmaDocument, sigmaRuleDefinition } from './sigma-rule.js';

export interface SigmaFileItems {
  /** Every rule and correlation of the file, in order, when none has an error. */
  readonly items: readonly (LoadedRuleItem & { readonly idPosition: TextPosition })[];
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * The documents of a Sigma file: one rule, or (YAML `---` between them) a correlation and the rules it
 * refers to. Every document must be a Sigma rule or correlation; a file with an error in any of them
 * contributes nothing, as any rule file.
 */
export function sigmaFileItems(documents: readonly YamlDocument[], file: string, text: string, builtIn: boolean): SigmaFileItems {
  const diagnostics: Diagnostic[] = [];
  const items: (LoadedRuleItem & { readonly idPosition: TextPosition })[] = [];
  let failed = false;
  for (const { value, positions } of documents) {
    // An empty document (a `---` at the end of the file) holds no rule.
    if (value === null) continue;
    const report = new PositionedDiagnostics(file, positions);
    const source = { file, text, positions, builtIn };
    if (!isSigmaDocument(value)) {
      report.error('', 'sigma-document', 'every document of a Sigma file is a Sigma rule (`logsource` and `detection`) or a correlation rule (`correlation`)');
    } else if (Object.hasOwn(value, 'correlation')) {
      const correlation = sigmaCorrelation(value, source, report);
      if (correlation !== undefined) items.push({ kind: 'correlation', correlation, idPosition: correlation.idPosition });
    } else {
      const definition = sigmaRuleDefinition(value, source, report);
      if (definition !== undefined) items.push({ kind: 'rule', definition, idPosition: positions.valueAt('/id') });
    }
    diagnostics.push(...report.diagnostics);
    failed ||= report.errorCount > 0;
  }
  return { items: failed ? [] : items, diagnostics };
}
