// A fixed locale: the server and the browser must render the same text for hydration.
const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

export function formatInteger(n: number): string {
  return integer.format(n);
}

/** Row estimates are approximate: exact below 10,000, compact (1.2M) above. */
export function formatEstimate(n: number): string {
  return n < 10_000 ? integer.format(n) : compact.format(n);
}
