/**
 * Where a JSON text first breaks the grammar, and why.
 *
 * JSON.parse on Node 20 gives no position for its most common errors ("Unexpected token '}', ... is not
 * valid JSON", "Unexpected end of JSON input"), and its wording changes between Node versions. Called
 * only after JSON.parse has failed, this scanner finds the offset itself and words the message the same
 * way on every Node version. It accepts exactly what JSON.parse accepts (RFC 8259; lone surrogates in
 * strings are allowed), and it keeps its own stack so deep nesting cannot overflow the call stack.
 */
export interface JsonSyntaxError {
  /** 0-based offset into the text; the text's length when the input ends too early. */
  readonly offset: number;
  readonly message: string;
}

/** The first syntax error in `text`, or undefined when `text` is one valid JSON value. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  try {
    new JsonScanner(text).scanDocument();
    return undefined;
  } catch (error) {
    if (error instanceof ScanFailure) return { offset: error.offset, message: error.message };
    throw error;
  }
}

class ScanFailure extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

const ESCAPABLE = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const LITERALS = ['true', 'false', 'null'] as const;

class JsonScanner {
  private index = 0;
  /** The containers we are inside, innermost last. */
  private readonly open: ('{' | '[')[] = [];

  constructor(private readonly text: string) {}

  scanDocument(): void {
    for (;;) {
      this.scanValueStart();
      if (this.finishContainers()) break;
    }
    this.skipWhitespace();
    if (this.index < this.text.length) this.fail('unexpected data after the JSON value');
  }

  /**
   * Scans one value. An opening bracket only opens its container and moves on to the container's first
   * value; the rest of its contents come in later rounds of scanDocument.
   */
  private scanValueStart(): void {
    for (;;) {
      this.skipWhitespace();
      const char = this.text[this.index];
      if (char === '{' || char === '[') {
        const close = char === '{' ? '}' : ']';
        this.index += 1;
        this.skipWhitespace();
        if (this.text[this.index] === close) {
          this.index += 1;
          return;
        }
        this.open.push(char);
        if (char === '{') this.scanPropertyName();
        continue;
      }
      if (char === '"') {
        this.scanString();
      } else if (char === '-' || isDigit(char)) {
        this.scanNumber();
      } else {
        this.scanLiteral();
      }
      return;
    }
  }

  /**
   * After a value: closes every container that ends here. Returns true when no container is left
   * open, false when a comma asks for another value (already past the property name in objects).
   */
  private finishContainers(): boolean {
    for (;;) {
      const container = this.open.at(-1);
      if (container === undefined) return true;
      this.skipWhitespace();
      const close = container === '{' ? '}' : ']';
      const char = this.text[this.index];
      if (char === ',') {
        this.index += 1;
        if (container === '{') this.scanPropertyName();
        return false;
      }
      if (char === close) {
        this.index += 1;
        this.open.pop();
        continue;
      }
      const after = container === '{' ? 'a property value' : 'an array element';
      this.fail(`expected ',' or '${close}' after ${after}`);
    }
  }

  private scanPropertyName(): void {
    this.skipWhitespace();
    if (this.text[this.index] !== '"') this.fail('expected a double-quoted property name');
    this.scanString();
    this.skipWhitespace();
    if (this.text[this.index] !== ':') this.fail("expected ':' after the property name");
    this.index += 1;
  }

  private scanString(): void {
    this.index += 1; // the opening quote
    for (;;) {
      if (this.index >= this.text.length) this.fail('unterminated string');
      const code = this.text.charCodeAt(this.index);
      if (code === 0x22) {
        this.index += 1;
        return;
      }
      if (code < 0x20) this.fail('control character in a string (it must be escaped)');
      if (code === 0x5c) {
        this.scanEscape();
      } else {
        this.index += 1;
      }
    }
  }

  private scanEscape(): void {
    const escaped = this.text[this.index + 1];
    if (escaped !== undefined && ESCAPABLE.has(escaped)) {
      this.index += 2;
      return;
    }
    if (escaped !== 'u') {
      this.index += 1;
      this.fail('invalid escape in a string');
    }
    this.index += 2;
    for (let digit = 0; digit < 4; digit += 1) {
      if (!isHexDigit(this.text[this.index])) this.fail('invalid \\u escape: expected 4 hex digits');
      this.index += 1;
    }
  }

  private scanNumber(): void {
    if (this.text[this.index] === '-') this.index += 1;
    if (this.text[this.index] === '0') {
      this.index += 1;
    } else {
      this.scanDigits('expected a digit');
    }
    if (this.text[this.index] === '.') {
      this.index += 1;
      this.scanDigits('expected a digit after the decimal point');
    }
    const exponent = this.text[this.index];
    if (exponent === 'e' || exponent === 'E') {
      this.index += 1;
      const sign = this.text[this.index];
      if (sign === '+' || sign === '-') this.index += 1;
      this.scanDigits('expected a digit in the exponent');
    }
  }

  private scanDigits(expected: string): void {
    if (!isDigit(this.text[this.index])) this.fail(expected);
    while (isDigit(this.text[this.index])) this.index += 1;
  }

  private scanLiteral(): void {
    for (const literal of LITERALS) {
      if (this.text[this.index] !== literal[0]) continue;
      for (const char of literal) {
        if (this.text[this.index] !== char) this.fail(`invalid literal: expected '${literal}'`);
        this.index += 1;
      }
      return;
    }
    this.fail('expected a value');
  }

  private skipWhitespace(): void {
    for (;;) {
      const char = this.text[this.index];
      if (char !== ' ' && char !== '\t' && char !== '\n' && char !== '\r') return;
      this.index += 1;
    }
  }

  private fail(expected: string): never {
    throw new ScanFailure(this.index, `${expected}, found ${this.describeCurrent()}`);
  }

  private describeCurrent(): string {
    if (this.index >= this.text.length) return 'the end of the input';
    const code = this.text.codePointAt(this.index) ?? 0;
    const char = String.fromCodePoint(code);
    return code < 0x20 || code === 0x7f ? `U+${code.toString(16).toUpperCase().padStart(4, '0')}` : `'${char}'`;
  }
}

function isDigit(char: string | undefined): boolean {
  return char !== undefined && char >= '0' && char <= '9';
}

function isHexDigit(char: string | undefined): boolean {
  return char !== undefined && /^[0-9a-fA-F]$/.test(char);
}
