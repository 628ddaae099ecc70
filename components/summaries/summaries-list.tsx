'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useDeferredValue, useId, useMemo, useState } from 'react';
import type { SummaryListItem } from '@/lib/summary/summary-views';
import { tablePath } from '@/components/catalog/queries';
import { buttonClass } from '@/components/ui/button-class';
import { cn } from '@/components/ui/cn';
import { DataTable, TBody, Td, Th, THead, Tr } from '@/components/ui/data-table';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorPanel } from '@/components/ui/error-panel';
import { formatInteger } from '@/components/ui/format';
import { inputClass } from '@/components/ui/input-class';
import { Panel } from '@/components/ui/panel';
import { TableSkeleton } from '@/components/ui/skeleton';
import { ListProgress } from '@/components/backfill/list-progress';
import { summariesQuery, summaryPath } from './queries';
import { statusDisplay, SummaryStatusBadge } from './summary-status-badge';
import { formatTimestamp } from './format-timestamp';

type SortKey = 'name' | 'source' | 'shape' | 'status' | 'rows' | 'size' | 'updated';
interface Sort {
  readonly key: SortKey;
  readonly dir: 'asc' | 'desc';
}

const COLUMNS: { key: SortKey; label: string; numeric?: boolean }[] = [
  { key: 'name', label: 'Summary' },
  { key: 'source', label: 'Source' },
  { key: 'shape', label: 'Shape' },
  { key: 'status', label: 'Status' },
  { key: 'rows', label: 'Rows', numeric: true },
  { key: 'size', label: 'Size', numeric: true },
  { key: 'updated', label: 'Updated' },
];

// broken first when sorting by status: it is what needs attention
const STATUS_RANK: Record<string, number> = { broken: 0, 'backfill cancelled': 1, installed: 2, backfilling: 3, healthy: 4 };

function sortValue(s: SummaryListItem, key: SortKey): string | number {
  switch (key) {
    case 'name':
      return s.name;
    case 'source':
      return `${s.sourceSchema}.${s.sourceTable}`;
    case 'shape':
      return s.shape;
    case 'status':
      return STATUS_RANK[statusDisplay(s).label] ?? 5;
    case 'rows':
      return s.rows ?? -1;
    case 'size':
      return s.totalBytes ?? -1;
    case 'updated':
      return s.updatedAt;
  }
}

function sorted(items: SummaryListItem[], sort: Sort): SummaryListItem[] {
  const dir = sort.dir === 'asc' ? 1 : -1;
  return [...items].sort((a, b) => {
    const x = sortValue(a, sort.key);
    const y = sortValue(b, sort.key);
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return c * dir || a.name.localeCompare(b.name);
  });
}

const STATUS_FILTERS = ['healthy', 'installed', 'backfilling', 'broken'] as const;

export function SummariesList({ canWrite }: { canWrite: boolean }) {
  const query = useQuery(summariesQuery());
  const [text, setText] = useState('');
  const [status, setStatus] = useState('');
  const [sort, setSort] = useState<Sort>({ key: 'name', dir: 'asc' });
  const deferredText = useDeferredValue(text);
  const filterId = useId();
  const statusId = useId();

  const visible = useMemo(() => {
    const needle = deferredText.trim().toLowerCase();
    const items = (query.data ?? []).filter(
      (s) =>
        (!needle ||
          s.name.includes(needle) ||
          `${s.sourceSchema}.${s.sourceTable}`.toLowerCase().includes(needle)) &&
        (!status || statusDisplay(s).label === status),
    );
    return sorted(items, sort);
  }, [query.data, deferredText, status, sort]);

  if (query.isPending) return <TableSkeleton label="Loading the summaries" rows={5} />;
  if (query.isError)
    return (
      <ErrorPanel
        title="Could not read the summaries"
        error={query.error}
        onRetry={() => void query.refetch()}
      />
    );

  if (query.data.length === 0)
    return (
      <Panel>
        <EmptyState title="No summaries yet">
          <p>
            A summary turns a slow <code className="font-mono">SELECT … GROUP BY</code> into a table
            that triggers keep exact.
          </p>
          {canWrite && (
            <Link href="/summaries/new" className={buttonClass('primary', 'mt-4')}>
              New summary
            </Link>
          )}
        </EmptyState>
      </Panel>
    );

  const toggle = (key: SortKey) =>
    setSort((s) => ({ key, dir: s.key === key && s.dir === 'asc' ? 'desc' : 'asc' }));

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end gap-3">
        <div>
          <label htmlFor={filterId} className="mb-1 block text-xs font-medium text-zinc-600 dark:text-zinc-400">
            Filter summaries
          </label>
          <input
            id={filterId}
            type="search"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="Name or source table"
            autoComplete="off"
            spellCheck={false}
            className={`${inputClass} w-72`}
          />
        </div>
        <div>
          <label htmlFor={statusId} className="mb-1 block text-xs font-medium text-zinc-600 dark:text-zinc-400">
            Status
          </label>
          <select
            id={statusId}
            value={status}
            onChange={(e) => setStatus(e.target.value)}
            className={`${inputClass} w-40 pr-8`}
          >
            <option value="">Any status</option>
            {STATUS_FILTERS.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <p role="status" className="ml-auto pb-1.5 text-sm tabular-nums text-zinc-500 dark:text-zinc-400">
          {visible.length === query.data.length
            ? `${formatInteger(query.data.length)} ${query.data.length === 1 ? 'summary' : 'summaries'}`
            : `${formatInteger(visible.length)} of ${formatInteger(query.data.length)} summaries`}
        </p>
      </div>

      <Panel>
        {visible.length === 0 ? (
          <EmptyState title="Nothing matches">Try another name or status.</EmptyState>
        ) : (
          <DataTable caption="Summaries">
            <THead>
              <tr>
                {COLUMNS.map((c) => (
                  <Th
                    key={c.key}
                    numeric={c.numeric}
                    aria-sort={sort.key === c.key ? (sort.dir === 'asc' ? 'ascending' : 'descending') : undefined}
                  >
                    <button
                      type="button"
                      onClick={() => toggle(c.key)}
                      className={cn(
                        'inline-flex items-center gap-1 uppercase tracking-wide hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600 dark:hover:text-zinc-100',
                        c.numeric && 'flex-row-reverse',
                      )}
                    >
                      {c.label}
                      <span aria-hidden="true" className={sort.key === c.key ? '' : 'invisible'}>
                        {sort.dir === 'asc' ? '▲' : '▼'}
                      </span>
                    </button>
                  </Th>
                ))}
              </tr>
            </THead>
            <TBody>
              {visible.map((s) => (
                <Tr key={s.name}>
                  <Td>
                    <Link
                      href={summaryPath(s.name)}
                      className="rounded-sm font-mono text-[13px] font-medium text-zinc-900 underline-offset-2 hover:text-sky-700 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600 dark:text-zinc-100 dark:hover:text-sky-400"
                    >
                      {s.name}
                    </Link>
                    <p className="mt-0.5 line-clamp-1 font-mono text-xs text-zinc-500 dark:text-zinc-400" title={s.aggregates.join(', ')}>
                      {s.aggregates.join(', ')}
                      {s.keys.length > 0 && <span className="font-sans"> by </span>}
                      {s.keys.join(', ')}
                    </p>
                  </Td>
                  <Td className="font-mono text-[13px]">
                    <Link
                      href={tablePath(s.sourceSchema, s.sourceTable)}
                      className="text-zinc-700 hover:text-sky-700 hover:underline dark:text-zinc-300 dark:hover:text-sky-400"
                    >
                      {s.sourceSchema}.{s.sourceTable}
                    </Link>
                  </Td>
                  <Td className="text-zinc-600 dark:text-zinc-300">{s.shape}</Td>
                  <Td>
                    <SummaryStatusBadge summary={s} />
                    <ListProgress name={s.name} />
                  </Td>
                  <Td numeric>{s.rows === null ? '—' : formatInteger(s.rows)}</Td>
                  <Td numeric>{s.size ?? '—'}</Td>
                  <Td className="whitespace-nowrap text-zinc-600 dark:text-zinc-300">
                    <span title={`version ${s.version}, by ${s.createdBy}`}>{formatTimestamp(s.updatedAt)}</span>
                  </Td>
                </Tr>
              ))}
            </TBody>
          </DataTable>
        )}
      </Panel>
    </div>
  );
}
