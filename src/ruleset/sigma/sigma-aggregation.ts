/**
 * The older Sigma aggregation after a detection's condition (Sigma specification, appendix "Aggregation
 * expression", superseded by correlation rules): `| count() > 10`, `| count(FIELD) by GROUP >= 5`,
 * `| min(FIELD) ...`, `| near ...`. Offsets are 0-based indexes into the whole condition text.
 */
export type SigmaAggregation =
  | {
      readonly kind: 'function';
      readonly name: AggregationFunction;
      readonly offset: number;
      /** `count(FIELD)`: the field inside the parentheses. */
      readonly field?: AggregationWord;
      /** `by GROUP`. */
      readonly groupBy?: AggregationWord;
      readonly operator: ComparisonOperator;
      readonly operatorOffset: number;
      readonly value: number;
      readonly valueOffset: number;
    }
  | { readonly kind: 'near'; readonly offset: number };

export interface AggregationWord {
  readonly name: string;
  readonly offset: number;
}

export const AGGREGATION_FUNCTIONS = ['count', 'min', 'max', 'avg', 'sum'] as const;
export type AggregationFunction = (typeof AGGREGATION_FUNCTIONS)[number];

const COMPARISON_OPERATORS = ['>', '>=', '<', '<=', '='] as const;
export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];

export type SigmaAggregationParse =
  { readonly ok: true; readonly aggregation: SigmaAggregation } | { readonly ok: false; readonly offset: number; readonly message: string };

interface Token {
  readonly text: string;
  readonly offset: number;
}

const TOKEN = /\s*(<=|>=|[()<>=]|[^\s()<>=]+)/y;

/** Parses the aggregation that follows the `|` at `pipe` in `text`. */
export function parseSigmaAggregation(text: string, pipe: number): SigmaAggregationParse {
  const tokens = tokenize(text, pipe + 1);
  let next = 0;
  const fail = (message: string): SigmaAggregationParse => ({ ok: false, offset: tokens[next]?.offset ?? text.length, message });
  const take = (): Token | undefined => tokens[next++];
  const peek = (): Token | undefined => tokens[next];

  const head = take();
  if (head === undefined)
    return { ok: false, offset: text.length, message: 'the condition ends after `|`, where an aggregation such as `count() > 5` should follow' };
  if (head.text === 'near') return { ok: true, aggregation: { kind: 'near', offset: head.offset } };
  const name = AGGREGATION_FUNCTIONS.find((candidate) => candidate === head.text);
  if (name === undefined) {
    next -= 1;
    return fail(`expected an aggregation function (${AGGREGATION_FUNCTIONS.join(', ')}) or \`near\` after \`|\`, found ${JSON.stringify(head.text)}`);
  }
  if (peek()?.text !== '(') return fail(`expected \`(\` after \`${name}\``);
  next += 1;
  let field: AggregationWord | undefined;
  const inside = peek();
  if (inside !== undefined && inside.text !== ')' && isWord(inside.text)) {
    field = { name: inside.text, offset: inside.offset };
    next += 1;
  }
  if (peek()?.text !== ')') return fail(`expected \`)\` to close \`${name}(\``);
  next += 1;
  let groupBy: AggregationWord | undefined;
  if (peek()?.text === 'by') {
    next += 1;
    const group = peek();
    if (group === undefined || !isWord(group.text)) return fail('expected a field name after `by`');
    groupBy = { name: group.text, offset: group.offset };
    next += 1;
  }
  const operatorToken = peek();
  const operator = COMPARISON_OPERATORS.find((candidate) => candidate === operatorToken?.text);
  if (operatorToken === undefined || operator === undefined) return fail(`expected a comparison (${COMPARISON_OPERATORS.join(', ')}) after \`${name}(...)\``);
  next += 1;
  const valueToken = peek();
  if (valueToken === undefined || !/^[0-9]+$/.test(valueToken.text)) return fail(`expected a whole number after \`${operator}\``);
  next += 1;
  if (peek() !== undefined) return fail('expected the end of the condition after the aggregation');
  return {
    ok: true,
    aggregation: {
      kind: 'function',
      name,
      offset: head.offset,
      ...(field === undefined ? {} : { field }),
      ...(groupBy === undefined ? {} : { groupBy }),
      operator,
      operatorOffset: operatorToken.offset,
      value: Number(valueToken.text),
      valueOffset: valueToken.offset,
    },
  };
}

function isWord(text: string): boolean {
  return !['(', ')', '<', '<=', '>', '>=', '=', 'by'].includes(text);
}

function tokenize(text: string, from: number): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = from;
  for (let match = TOKEN.exec(text); match !== null; match = TOKEN.exec(text)) {
    const word = match[1] ?? '';
    tokens.push({ text: word, offset: match.index + match[0].length - word.length });
  }
  return tokens;
}
