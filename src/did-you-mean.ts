import { closest, distance } from 'fastest-levenshtein';

/**
 * The valid choice nearest to what was typed, when it is plausibly a typo of it (at most a third of
 * the letters differ, ignoring case); undefined when nothing is close enough to suggest.
 */
export function didYouMean(typed: string, choices: readonly string[]): string | undefined {
  if (choices.length === 0 || typed === '') return undefined;
  const lower = typed.toLowerCase();
  const nearest = closest(lower, choices.map((choice) => choice.toLowerCase()));
  const index = choices.findIndex((choice) => choice.toLowerCase() === nearest);
  const suggestion = choices[index];
  if (suggestion === undefined) return undefined;
  return distance(lower, nearest) <= Math.ceil(Math.max(typed.length, suggestion.length) / 3) ? suggestion : undefined;
}

/** `; did you mean X?` or the empty string. */
export function didYouMeanHint(typed: string, choices: readonly string[]): string {
  const suggestion = didYouMean(typed, choices);
  return suggestion === undefined ? '' : `; did you mean ${suggestion}?`;
}
