/**
 * The marketplaces' decimal quantities (yuan `"12.30"`, kilograms `"0.227"`) and Ponte's integers (fen, grams), turned
 * into each other on the digits: a double cannot hold most decimal fractions, and a price must come out to the fen it
 * was (docs/adr/0016-real-upstreams.md). Gateways send these as text or as JSON numbers; both are read here.
 */

const DECIMAL = /^(-?)(\d*)(?:\.(\d*))?$/;

/** The text of a decimal sent as a string, a JSON number or a bigint; null for anything else. */
function decimalText(value: unknown): string | null {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number' && Number.isFinite(value)) {
    // A JSON number's shortest text is the decimal it was written as (`12.3` for 12.30); exponent forms (1e-7) are
    // written out, far as they are from any price or weight.
    const text = String(value);
    return /e/i.test(text) ? value.toFixed(20).replace(/0+$/, '') : text;
  }
  return null;
}

/**
 * `value` × 10^scale as an integer, or null when it is not a decimal or out of range. `exact`: digits beyond `scale`
 * must be zeros (money: a fen is the smallest amount), else null; `half-up`: they round half away from zero (a
 * weight). Negative values only when `signed`.
 */
export function scaledInteger(
  value: unknown,
  scale: number,
  rounding: 'exact' | 'half-up',
  signed = false,
): number | null {
  const text = decimalText(value);
  const match = text === null ? null : DECIMAL.exec(text);
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) return null;
  const negative = match[1] === '-';
  if (negative && !signed) return null;
  const fraction = match[3] ?? '';
  const dropped = fraction.slice(scale);
  if (rounding === 'exact' && /[1-9]/.test(dropped)) return null;
  let n = BigInt(`${match[2] || '0'}${fraction.slice(0, scale).padEnd(scale, '0')}`);
  if (rounding === 'half-up' && dropped !== '' && dropped.charCodeAt(0) - 48 >= 5) n += 1n;
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  return negative && n !== 0n ? -Number(n) : Number(n);
}

/** An integer divided by 10^scale, as decimal text with `scale` places: (1230, 2) → `"12.30"`, (-5, 2) → `"-0.05"`. */
export function scaledText(n: number, scale: number): string {
  if (!Number.isSafeInteger(n)) throw new RangeError(`not an integer: ${n}`);
  const digits = String(Math.abs(n)).padStart(scale + 1, '0');
  return `${n < 0 ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

/** `"12.30"` → 1230; null when it is not a non-negative yuan amount to the fen. */
export function yuanToFen(value: unknown): number | null {
  return scaledInteger(value, 2, 'exact');
}

/** 1230 → `"12.30"`. */
export function fenToYuan(fen: number): string {
  return scaledText(fen, 2);
}

/** `"0.227"` (kg) → 227 (g), rounded to the gram; null when it is not a non-negative decimal. */
export function kgToGrams(value: unknown): number | null {
  return scaledInteger(value, 3, 'half-up');
}

/** 227 (g) → `"0.227"` (kg). */
export function gramsToKg(grams: number): string {
  if (grams < 0) throw new RangeError(`not a weight in grams: ${grams}`);
  return scaledText(grams, 3);
}
