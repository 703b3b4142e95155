import { describe, expect, it } from 'vitest';
import { parseDecimal } from '../../../../workers/parse/number.js';

interface Row {
  case: string;
  text: string;
  /** NaN when the text must be refused. */
  expected: number;
}

const ACCEPTED: Row[] = [
  { case: 'reads a short integer', text: '42', expected: 42 },
  { case: 'reads zero', text: '0', expected: 0 },
  { case: 'reads leading zeros as decimal, not octal', text: '0042', expected: 42 },
  { case: 'reads a leading plus', text: '+7', expected: 7 },
  { case: 'reads a leading minus', text: '-7', expected: -7 },
  { case: 'keeps the sign of -0', text: '-0', expected: -0 },
  { case: 'reads a fraction', text: '21.5', expected: 21.5 },
  { case: 'reads a leading dot', text: '.25', expected: 0.25 },
  { case: 'reads a signed leading dot', text: '-.5', expected: -0.5 },
  { case: 'reads a trailing dot', text: '5.', expected: 5 },
  { case: 'reads an exponent', text: '1.5e3', expected: 1500 },
  { case: 'reads an upper-case exponent', text: '2E2', expected: 200 },
  { case: 'reads a negative exponent', text: '25e-2', expected: 0.25 },
  { case: 'reads a signed exponent', text: '1e+2', expected: 100 },
  {
    case: 'reads fifteen digits on the short path',
    text: '999999999999999',
    expected: 999999999999999,
  },
  {
    case: 'reads sixteen digits and more through the full path',
    text: '12345678901234567',
    expected: 12345678901234567,
  },
  { case: 'reads the largest double', text: '1.7976931348623157e308', expected: Number.MAX_VALUE },
  {
    case: 'reads an overflow as Infinity, for the caller to refuse',
    text: '1e309',
    expected: Infinity,
  },
  { case: 'reads a negative overflow as -Infinity', text: '-1e309', expected: -Infinity },
  { case: 'reads an underflow as 0', text: '1e-400', expected: 0 },
];

const REFUSED: Row[] = [
  { case: 'refuses an empty text', text: '', expected: NaN },
  { case: 'refuses NaN', text: 'NaN', expected: NaN },
  { case: 'refuses Infinity', text: 'Infinity', expected: NaN },
  { case: 'refuses -Infinity', text: '-Infinity', expected: NaN },
  { case: 'refuses hex', text: '0x10', expected: NaN },
  { case: 'refuses binary', text: '0b1', expected: NaN },
  { case: 'refuses a leading space', text: ' 1', expected: NaN },
  { case: 'refuses a trailing space', text: '1 ', expected: NaN },
  { case: 'refuses a trailing newline', text: '1\n', expected: NaN },
  { case: 'refuses a lone sign', text: '-', expected: NaN },
  { case: 'refuses a doubled sign', text: '+-1', expected: NaN },
  { case: 'refuses a lone dot', text: '.', expected: NaN },
  { case: 'refuses two dots', text: '1.2.3', expected: NaN },
  { case: 'refuses a decimal comma', text: '1,5', expected: NaN },
  { case: 'refuses digit separators', text: '1_000', expected: NaN },
  { case: 'refuses an exponent alone', text: 'e5', expected: NaN },
  { case: 'refuses an exponent without digits', text: '1e', expected: NaN },
  { case: 'refuses an exponent with a sign only', text: '1e-', expected: NaN },
  { case: 'refuses a fractional exponent', text: '1e2.5', expected: NaN },
  { case: 'refuses a dot before the exponent without digits', text: '.e1', expected: NaN },
  { case: 'refuses a unit suffix', text: '10ms', expected: NaN },
  { case: 'refuses full-width digits', text: '１２', expected: NaN },
];

describe('parseDecimal', () => {
  for (const { case: name, text, expected } of [...ACCEPTED, ...REFUSED]) {
    it(name, () => {
      expect(parseDecimal(text, 0, text.length)).toBe(expected);
    });
  }

  it('reads only the slice it is given, not the text around it', () => {
    const line = 'lat:-12.5e1:7|ms';

    expect(parseDecimal(line, 4, 11)).toBe(-125);
    expect(parseDecimal(line, 12, 13)).toBe(7);
  });

  it('refuses an empty slice in the middle of a text', () => {
    expect(parseDecimal('hits:|c', 5, 5)).toBeNaN();
  });
});
