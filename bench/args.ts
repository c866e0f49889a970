// What the benchmarks share for reading their command line.

/** A flag that must be a positive integer; exits with code 2 naming the flag otherwise. */
export function positiveInt(name: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    process.stderr.write(`--${name}: expected a positive integer, got "${raw}"\n`);
    process.exit(2);
  }
  return n;
}
