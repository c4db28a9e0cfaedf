import type { Config } from '../config/config.js';
import type { PositionOf } from '../config/validate-config.js';
import { excerpt, type Diagnostic } from '../shared/diagnostics.js';
import { didYouMean } from '../shared/did-you-mean.js';

/**
 * A warning, at its line, for each `rules.disable` entry no loaded rule has: a typo there would
 * otherwise leave the rule running while the config says it is off.
 */
export function unknownDisabledRules(config: Config, knownIds: readonly string[], positionOf: PositionOf): Diagnostic[] {
  return config.rules.disable.flatMap((id, index) => {
    if (knownIds.includes(id)) return [];
    const position = positionOf(`/rules/disable/${index}`);
    return [
      {
        file: config.file ?? 'config',
        ...(position === undefined ? {} : { line: position.line, column: position.column }),
        code: 'unknown-rule',
        message: `rules.disable: no rule has the id ${excerpt(id)}${didYouMean(id, knownIds)}`,
        severity: 'warning' as const,
      },
    ];
  });
}
