'use client';

import Link from 'next/link';
import type { TableDetail } from '@/lib/catalog/catalog-types';
import { tablePath } from '@/components/catalog/queries';
import { rowEstimateText } from '@/components/catalog/row-estimate-text';
import { Badge } from '@/components/ui/badge';

/** The chosen source's columns (name, type, keys), row estimate and size, for reference. */
export function SourceColumns({ detail }: { detail: TableDetail }) {
  const r = detail.relation;
  return (
    <div className="rounded-md border border-zinc-200 dark:border-zinc-800">
      <div className="flex flex-wrap items-baseline justify-between gap-2 border-b border-zinc-200 px-3 py-2 text-xs text-zinc-600 dark:border-zinc-800 dark:text-zinc-400">
        <span>
          <span className="font-semibold tabular-nums text-zinc-900 dark:text-zinc-100">
            {rowEstimateText(r)}
          </span>{' '}
          rows (estimate){r.totalSize && <> · {r.totalSize}</>} · {detail.indexes.length} indexes
        </span>
        <Link
          href={tablePath(r.schema, r.name)}
          className="text-sky-700 hover:underline dark:text-sky-400"
          target="_blank"
        >
          Open in the catalog
        </Link>
      </div>
      <div className="max-h-64 overflow-y-auto">
        <table className="w-full text-left text-xs">
          <caption className="sr-only">Columns of the source table</caption>
          <thead className="sr-only">
            <tr>
              <th scope="col">Column</th>
              <th scope="col">Type</th>
              <th scope="col">Keys</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800/80">
            {detail.columns.map((c) => (
              <tr key={c.position}>
                <td className="px-3 py-1.5 font-mono text-[12px] font-medium text-zinc-900 dark:text-zinc-100">
                  {c.name}
                </td>
                <td className="px-3 py-1.5 font-mono text-[12px] text-zinc-600 dark:text-zinc-300">
                  {c.type}
                  {!c.nullable && (
                    <span className="text-zinc-400 dark:text-zinc-500"> not null</span>
                  )}
                </td>
                <td className="px-3 py-1.5 text-right">
                  <span className="inline-flex gap-1">
                    {c.inPrimaryKey && <Badge tone="amber">PK</Badge>}
                    {c.inForeignKey && <Badge tone="blue">FK</Badge>}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
