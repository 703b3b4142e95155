/**
 * Strict decimal parsing for StatsD values. `Number()` is too lenient for wire input: it
 * takes "", " 1 ", "0x10" and "Infinity". We accept exactly
 * [+-]? digits [. digits] [e [+-] digits], or a leading or trailing dot, and nothing else.
 */

const CODE_0 = 48;
const CODE_9 = 57;
const CODE_DOT = 46;
const CODE_PLUS = 43;
const CODE_MINUS = 45;
const CODE_E = 101;
const CODE_UPPER_E = 69;

/** The number `text[start, end)` spells, or NaN when it is not a plain decimal. */
export function parseDecimal(text: string, start: number, end: number): number {
  let i = start;
  if (i < end) {
    const first = text.charCodeAt(i);
    if (first === CODE_PLUS || first === CODE_MINUS) i++;
  }

  let digits = 0;
  let integerPart = 0;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c < CODE_0 || c > CODE_9) break;
    integerPart = integerPart * 10 + (c - CODE_0);
    digits++;
    i++;
  }

  // Fast path: a short integer, the shape of almost every counter increment.
  if (i === end && digits > 0 && digits <= 15) {
    return text.charCodeAt(start) === CODE_MINUS ? -integerPart : integerPart;
  }

  if (i < end && text.charCodeAt(i) === CODE_DOT) {
    i++;
    while (i < end) {
      const c = text.charCodeAt(i);
      if (c < CODE_0 || c > CODE_9) break;
      digits++;
      i++;
    }
  }
  if (digits === 0) return NaN;

  if (i < end) {
    const c = text.charCodeAt(i);
    if (c !== CODE_E && c !== CODE_UPPER_E) return NaN;
    i++;
    if (i < end) {
      const sign = text.charCodeAt(i);
      if (sign === CODE_PLUS || sign === CODE_MINUS) i++;
    }
    let exponentDigits = 0;
    while (i < end) {
      const d = text.charCodeAt(i);
      if (d < CODE_0 || d > CODE_9) return NaN;
      exponentDigits++;
      i++;
    }
    if (exponentDigits === 0) return NaN;
  }

  // The grammar is checked; Number() now parses exactly the accepted text.
  return Number(text.slice(start, end));
}
