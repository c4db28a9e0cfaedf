import { parseSigmaAggregation, type SigmaAggregation } from './sigma-aggregation.js';

/**
 * The `condition` of a Sigma detection, parsed: search identifiers combined with `and`, `or`, `not` and
 * parentheses, and the selectors `1 of PATTERN`, `all of PATTERN`, `1 of them`, `all of them`. `not` binds
 * tighter than `and`, which binds tighter than `or` (Sigma specification, conditions); an aggregation
 * may follow a `|` (sigma-aggregation.ts). Offsets are 0-based indexes into the condition text, so that
 * a mistake can be placed at its line and column.
 */
export type SigmaExpression =
  | { readonly kind: 'identifier'; readonly name: string; readonly offset: number }
  | { readonly kind: 'of'; readonly quantifier: 'one' | 'all'; readonly pattern: string; readonly offset: number }
  | { readonly kind: 'and' | 'or'; readonly operands: readonly SigmaExpression[] }
  | { readonly kind: 'not'; readonly operand: SigmaExpression };

export type SigmaConditionParse =
  | { readonly ok: true; readonly expression: SigmaExpression; readonly aggregation?: SigmaAggregation }
  | { readonly ok: false; readonly offset: number; readonly message: string };

interface Token {
  readonly text: string;
  readonly offset: number;
}

const TOKEN = /\s*(?:([()|])|([^\s()|]+))/y;

class ConditionSyntaxError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

export function parseSigmaCondition(text: string): SigmaConditionParse {
  try {
    const tokens = tokenize(text);
    const parser = new Parser(tokens, text.length);
    const expression = parser.expression();
    const pipe = parser.end();
    if (pipe === undefined) return { ok: true, expression };
    const aggregation = parseSigmaAggregation(text, pipe);
    return aggregation.ok ? { ok: true, expression, aggregation: aggregation.aggregation } : aggregation;
  } catch (error) {
    if (error instanceof ConditionSyntaxError) return { ok: false, offset: error.offset, message: error.message };
    throw error;
  }
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const start = TOKEN.lastIndex;
    const match = TOKEN.exec(text);
    if (match === null) {
      if (text.slice(start).trim() === '') break;
      throw new ConditionSyntaxError(start, 'unexpected text');
    }
    const word = match[1] ?? match[2] ?? '';
    tokens.push({ text: word, offset: match.index + match[0].length - word.length });
  }
  return tokens;
}

const KEYWORDS = new Set(['and', 'or', 'not', 'of', 'them', '(', ')', '|']);

class Parser {
  readonly #tokens: readonly Token[];
  readonly #end: number;
  #next = 0;

  constructor(tokens: readonly Token[], end: number) {
    this.#tokens = tokens;
    this.#end = end;
  }

  expression(): SigmaExpression {
    const operands = [this.#conjunction()];
    while (this.#take('or')) operands.push(this.#conjunction());
    return operands.length === 1 ? (operands[0] as SigmaExpression) : { kind: 'or', operands };
  }

  /** Checks that the expression ends the condition or is followed by `|`; returns the pipe's offset, if any. */
  end(): number | undefined {
    const token = this.#tokens[this.#next];
    if (token === undefined) return undefined;
    if (token.text === '|') return token.offset;
    throw new ConditionSyntaxError(token.offset, `expected and, or or the end of the condition, found ${JSON.stringify(token.text)}`);
  }

  #conjunction(): SigmaExpression {
    const operands = [this.#negation()];
    while (this.#take('and')) operands.push(this.#negation());
    return operands.length === 1 ? (operands[0] as SigmaExpression) : { kind: 'and', operands };
  }

  #negation(): SigmaExpression {
    if (this.#take('not')) return { kind: 'not', operand: this.#negation() };
    return this.#primary();
  }

  #primary(): SigmaExpression {
    const token = this.#tokens[this.#next];
    if (token === undefined)
      throw new ConditionSyntaxError(this.#end, 'the condition ends where a search identifier, `1 of`, `all of`, `not` or `(` should follow');
    this.#next += 1;
    if (token.text === '(') {
      const inner = this.expression();
      const close = this.#tokens[this.#next];
      if (close?.text !== ')')
        throw new ConditionSyntaxError(close?.offset ?? this.#end, `no closing parenthesis for the one at column ${token.offset + 1} of the condition`);
      this.#next += 1;
      return inner;
    }
    if (token.text === '1' || token.text === 'all') {
      if (!this.#take('of')) throw new ConditionSyntaxError(this.#tokens[this.#next]?.offset ?? this.#end, `expected \`of\` after \`${token.text}\``);
      const target = this.#tokens[this.#next];
      if (target === undefined || (KEYWORDS.has(target.text) && target.text !== 'them')) {
        throw new ConditionSyntaxError(target?.offset ?? this.#end, `expected a search identifier pattern or \`them\` after \`${token.text} of\``);
      }
      this.#next += 1;
      return { kind: 'of', quantifier: token.text === '1' ? 'one' : 'all', pattern: target.text, offset: token.offset };
    }
    if (/^[0-9]+$/.test(token.text)) {
      throw new ConditionSyntaxError(token.offset, `\`${token.text} of\` is not Sigma: write \`1 of\` or \`all of\``);
    }
    if (KEYWORDS.has(token.text)) throw new ConditionSyntaxError(token.offset, `expected a search identifier, found \`${token.text}\``);
    return { kind: 'identifier', name: token.text, offset: token.offset };
  }

  #take(keyword: string): boolean {
    if (this.#tokens[this.#next]?.text !== keyword) return false;
    this.#next += 1;
    return true;
  }
}
