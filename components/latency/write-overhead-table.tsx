import type { WriteOverhead } from '@/lib/latency/latency-views';
import { formatFactor, formatMs } from './format-latency';

/** Triggers firing vs bypassed, the same writes, each rolled back. */
export function WriteOverheadTable({ overhead }: { overhead: WriteOverhead }) {
  return (
    <div className="space-y-2 p-4">
      <p
        role="note"
        className="rounded-md bg-amber-50 p-3 text-xs text-amber-900 dark:bg-amber-950/40 dark:text-amber-200"
      >
        {overhead.note}
      </p>
      <table className="w-full text-sm">
        <caption className="sr-only">Write overhead of the triggers</caption>
        <thead>
          <tr className="text-left text-xs text-zinc-500 dark:text-zinc-400">
            <th className="py-1 font-medium">Write (median of {overhead.repeats})</th>
            <th className="py-1 text-right font-medium">Triggers bypassed</th>
            <th className="py-1 text-right font-medium">Triggers on</th>
            <th className="py-1 text-right font-medium">Ratio</th>
          </tr>
        </thead>
        <tbody>
          {overhead.workloads.map((w) => (
            <tr key={w.workload} className="border-t border-zinc-100 dark:border-zinc-800">
              <td className="py-1.5">{w.workload}</td>
              {w.error ? (
                <td
                  colSpan={3}
                  className="py-1.5 text-right text-xs text-red-700 dark:text-red-400"
                >
                  {w.error}
                </td>
              ) : (
                <>
                  <td className="py-1.5 text-right tabular-nums">{formatMs(w.bypassedMs)}</td>
                  <td className="py-1.5 text-right tabular-nums">{formatMs(w.activeMs)}</td>
                  <td className="py-1.5 text-right font-semibold tabular-nums">
                    {formatFactor(w.ratio)}
                  </td>
                </>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
