//! Exact decimal arithmetic for grading: a number as written (String(n)) becomes an exact rational
//! n / 10^scale with a BigInt numerator, so grade boundaries (30 → 33 is +10%) never suffer float error.

/** An exact decimal: value = n / 10^scale, scale ≥ 0. Not normalized (0.10 and 0.1 may differ in scale). */
export interface Decimal {
  readonly n: bigint;
  readonly scale: number;
}

// Both the shortest round-trip form of a JS number (1e-7, 1e+21, -0.5) and a plain decimal
// string written by a person in a scheme file ("0.1", "-0.1", "+0.1", ".5" is not allowed).
const DECIMAL_RE = /^([+-])?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/** Parses a decimal string exactly; throws RangeError on anything that is not one. */
export function parseDecimal(s: string): Decimal {
  const m = DECIMAL_RE.exec(s.trim());
  if (!m) throw new RangeError(`not a decimal number: ${JSON.stringify(s)}`);
  const [, sign, int = '', frac = '', exp = '0'] = m;
  let n = BigInt(int + frac);
  let scale = frac.length - Number(exp);
  if (scale < 0) {
    n *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { n: sign === '-' ? -n : n, scale };
}

/**
 * The decimal a number was written as. String(n) is the shortest string that round-trips to the
 * same double, which is what YAML's "33" or "0.77" parsed to; -0 stringifies as "0".
 */
export function fromNumber(x: number): Decimal {
  if (!Number.isFinite(x)) throw new RangeError(`not a finite number: ${String(x)}`);
  return parseDecimal(String(x));
}

function pow10(k: number): bigint {
  return 10n ** BigInt(k);
}

/** Both numerators brought to the larger of the two scales. */
function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  if (a.scale === b.scale) return [a.n, b.n, a.scale];
  if (a.scale > b.scale) return [a.n, b.n * pow10(a.scale - b.scale), a.scale];
  return [a.n * pow10(b.scale - a.scale), b.n, b.scale];
}

function sign(x: bigint): -1 | 0 | 1 {
  return x > 0n ? 1 : x < 0n ? -1 : 0;
}

/** -1, 0 or 1 as a < b, a = b, a > b. */
export function compare(a: Decimal, b: Decimal): -1 | 0 | 1 {
  const [x, y] = align(a, b);
  return sign(x - y);
}

export function sub(a: Decimal, b: Decimal): Decimal {
  const [x, y, scale] = align(a, b);
  return { n: x - y, scale };
}

export function neg(a: Decimal): Decimal {
  return { n: -a.n, scale: a.scale };
}

export function abs(a: Decimal): Decimal {
  return a.n < 0n ? neg(a) : a;
}

export function signOf(a: Decimal): -1 | 0 | 1 {
  return sign(a.n);
}

/**
 * Compares the ratio num / den with the decimal bound, exactly: den must be positive, and then
 * num/den ⋚ p/10^k  ⇔  num·10^k ⋚ p·den (both sides over the same power of ten). No division.
 */
export function compareRatio(num: Decimal, den: Decimal, bound: Decimal): -1 | 0 | 1 {
  if (den.n <= 0n) throw new RangeError('compareRatio: the denominator must be positive');
  // num = a/10^s, den = d/10^t, bound = p/10^k:  a/10^s · 10^t/d ⋚ p/10^k  ⇔  a·10^(t+k) ⋚ p·d·10^s.
  const left = num.n * pow10(den.scale + bound.scale);
  const right = bound.n * den.n * pow10(num.scale);
  return sign(left - right);
}

/** The canonical decimal string (trailing zeros dropped), e.g. for messages and tests. */
export function toString(a: Decimal): string {
  const neg = a.n < 0n;
  let digits = (neg ? -a.n : a.n).toString();
  let scale = a.scale;
  while (scale > 0 && digits.length > 1 && digits.endsWith('0')) {
    digits = digits.slice(0, -1);
    scale--;
  }
  if (digits === '0') return '0';
  let out: string;
  if (scale === 0) out = digits;
  else {
    const padded = digits.padStart(scale + 1, '0');
    out = `${padded.slice(0, padded.length - scale)}.${padded.slice(padded.length - scale)}`;
  }
  return neg ? `-${out}` : out;
}

/**
 * num / den as the double nearest to the exact quotient (for display only): 0.07 / 0.7 gives
 * exactly the double 0.1, where float arithmetic on the inputs would not.
 */
export function ratioToNumber(num: Decimal, den: Decimal): number {
  if (den.n === 0n) throw new RangeError('ratioToNumber: division by zero');
  // q = num/den = (a·10^t) / (d·10^s). Take about 25 significant digits of q by integer division;
  // the decimal string then converts to the nearest double (truncation past 25 digits is far below
  // a double's precision).
  let a = num.n * pow10(den.scale);
  let d = den.n * pow10(num.scale);
  if (d < 0n) {
    a = -a;
    d = -d;
  }
  if (a === 0n) return 0;
  const negative = a < 0n;
  if (negative) a = -a;
  const k = Math.max(0, 25 - (a.toString().length - d.toString().length));
  const q = (a * pow10(k)) / d;
  const x = Number(`${q.toString()}e-${k}`);
  return negative ? -x : x;
}
