'use client';

import { useInfiniteQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { useId } from 'react';
import type { AuditEntry } from '@/lib/summary/summary-views';
import { Badge } from '@/components/ui/badge';
import { buttonClass } from '@/components/ui/button-class';
import { DataTable, TBody, Td, Th, THead, Tr } from '@/components/ui/data-table';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorPanel } from '@/components/ui/error-panel';
import { inputClass } from '@/components/ui/input-class';
import { Panel } from '@/components/ui/panel';
import { TableSkeleton } from '@/components/ui/skeleton';
import { formatTimestamp } from './format-timestamp';
import { auditLogQuery, summaryPath, type AuditFilters } from './queries';

function firstLine(statement: string): string {
  const line =
    statement.split('\n').find((l) => l.trim() && !l.trim().startsWith('--')) ?? statement;
  return line.length > 120 ? `${line.slice(0, 117)}…` : line;
}

function seconds(iso: string): string {
  return iso.slice(11, 19);
}

/**
 * Every statement Tally ran against the database, newest first: who, when, what, outcome.
 * The filters live in the URL, so a filtered view can be linked to (e.g. from a summary).
 */
export function AuditLogView({ filters }: { filters: AuditFilters }) {
  const router = useRouter();
  const pathname = usePathname();
  const query = useInfiniteQuery(auditLogQuery(filters));
  const summaryId = useId();
  const outcomeId = useId();

  const setFilter = (next: AuditFilters) => {
    const params = new URLSearchParams();
    if (next.summary) params.set('summary', next.summary);
    if (next.outcome) params.set('outcome', next.outcome);
    const qs = params.toString();
    router.replace(qs ? `${pathname}?${qs}` : pathname);
  };

  if (query.isPending) return <TableSkeleton label="Loading the audit log" rows={8} />;
  if (query.isError)
    return (
      <ErrorPanel
        title="Could not read the audit log"
        error={query.error}
        onRetry={() => void query.refetch()}
      />
    );

  const entries = query.data.pages.flatMap((p) => p.entries);
  const names = query.data.pages[0]?.summaries ?? [];
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end gap-3">
        <div>
          <label
            htmlFor={summaryId}
            className="mb-1 block text-xs font-medium text-zinc-600 dark:text-zinc-400"
          >
            Summary
          </label>
          <select
            id={summaryId}
            value={filters.summary ?? ''}
            onChange={(e) => setFilter({ ...filters, summary: e.target.value || undefined })}
            className={`${inputClass} w-56 pr-8`}
          >
            <option value="">All summaries</option>
            {[...new Set([...names, ...(filters.summary ? [filters.summary] : [])])].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label
            htmlFor={outcomeId}
            className="mb-1 block text-xs font-medium text-zinc-600 dark:text-zinc-400"
          >
            Outcome
          </label>
          <select
            id={outcomeId}
            value={filters.outcome ?? ''}
            onChange={(e) =>
              setFilter({
                ...filters,
                outcome: (e.target.value || undefined) as AuditFilters['outcome'],
              })
            }
            className={`${inputClass} w-40 pr-8`}
          >
            <option value="">Any outcome</option>
            <option value="ok">ok</option>
            <option value="error">error</option>
          </select>
        </div>
      </div>

      <Panel>
        {entries.length === 0 ? (
          <EmptyState title="Nothing recorded">
            {filters.summary || filters.outcome
              ? 'No statement matches these filters.'
              : 'Statements Tally runs (apply, rebuild, drop) are recorded here.'}
          </EmptyState>
        ) : (
          <DataTable caption="Audit log, newest first">
            <THead>
              <tr>
                <Th>When (UTC)</Th>
                <Th>Who</Th>
                <Th>Action</Th>
                <Th>Summary</Th>
                <Th>Outcome</Th>
                <Th numeric>ms</Th>
                <Th className="w-full">Statement</Th>
              </tr>
            </THead>
            <TBody>
              {entries.map((e) => (
                <AuditRow key={e.id} entry={e} />
              ))}
            </TBody>
          </DataTable>
        )}
      </Panel>
      {query.hasNextPage && (
        <button
          type="button"
          className={buttonClass('secondary')}
          disabled={query.isFetchingNextPage}
          onClick={() => void query.fetchNextPage()}
        >
          {query.isFetchingNextPage ? 'Loading…' : 'Load older entries'}
        </button>
      )}
    </div>
  );
}

function AuditRow({ entry: e }: { entry: AuditEntry }) {
  return (
    <Tr>
      <Td className="whitespace-nowrap tabular-nums text-zinc-600 dark:text-zinc-300">
        <span title={e.at}>
          {formatTimestamp(e.at).replace(' UTC', '')}
          <span className="text-zinc-400 dark:text-zinc-500">:{seconds(e.at).slice(6)}</span>
        </span>
      </Td>
      <Td className="whitespace-nowrap font-mono text-xs">{e.actor}</Td>
      <Td className="whitespace-nowrap">{e.action}</Td>
      <Td className="whitespace-nowrap font-mono text-[13px]">
        {e.summaryName ? (
          <Link
            href={summaryPath(e.summaryName)}
            className="text-sky-700 hover:underline dark:text-sky-400"
          >
            {e.summaryName}
          </Link>
        ) : (
          '—'
        )}
      </Td>
      <Td>
        <Badge tone={e.outcome === 'ok' ? 'green' : 'red'}>{e.outcome}</Badge>
      </Td>
      <Td numeric>
        {e.durationMs === null
          ? '—'
          : e.durationMs < 10
            ? e.durationMs.toFixed(1)
            : Math.round(e.durationMs)}
      </Td>
      <Td className="max-w-0">
        <details>
          <summary className="cursor-pointer truncate font-mono text-xs text-zinc-700 dark:text-zinc-300">
            {firstLine(e.statement)}
          </summary>
          <pre className="mt-2 max-h-80 overflow-auto whitespace-pre rounded-md bg-zinc-50 p-2 font-mono text-xs text-zinc-800 dark:bg-zinc-950 dark:text-zinc-200">
            {e.statement}
          </pre>
          {e.error && (
            <pre className="mt-2 whitespace-pre-wrap rounded-md bg-red-50 p-2 font-mono text-xs text-red-900 dark:bg-red-950/40 dark:text-red-200">
              {e.error}
            </pre>
          )}
        </details>
      </Td>
    </Tr>
  );
}
