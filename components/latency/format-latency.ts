/** Milliseconds as the lab shows them: more digits below 10 ms, "> timeout" for a cut run. */
export function formatMs(ms: number | null, timeoutMs?: number): string {
  if (ms === null) return timeoutMs === undefined ? '—' : `> ${formatMs(timeoutMs)}`;
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 10) return `${ms.toFixed(0)} ms`;
  if (ms >= 1) return `${ms.toFixed(2)} ms`;
  return `${ms.toFixed(3)} ms`;
}

export function formatFactor(factor: number | null, lowerBound = false): string {
  if (factor === null || !Number.isFinite(factor)) return '—';
  const n =
    factor >= 100
      ? Math.round(factor).toLocaleString('en-US')
      : factor >= 10
        ? factor.toFixed(0)
        : factor.toFixed(1);
  return `${lowerBound ? '≥ ' : ''}${n}×`;
}
