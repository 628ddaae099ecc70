'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import type { SummaryDetail } from '@/lib/summary/summary-views';
import { tablePath } from '@/components/catalog/queries';
import { CopyButton } from '@/components/sql/copy-button';
import { SqlCode } from '@/components/sql/sql-code';
import { SqlSection } from '@/components/sql/sql-section';
import { Badge } from '@/components/ui/badge';
import { buttonClass } from '@/components/ui/button-class';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorPanel } from '@/components/ui/error-panel';
import { formatInteger } from '@/components/ui/format';
import { Panel } from '@/components/ui/panel';
import { TableSkeleton } from '@/components/ui/skeleton';
import { Tabs } from '@/components/ui/tabs';
import { PartialMarker } from '@/components/backfill/partial-marker';
import { LatencyLab } from '@/components/latency/latency-lab';
import { BackfillSlot } from './backfill-slot';
import { DropSummaryDialog } from './drop-summary-dialog';
import { formatTimestamp } from './format-timestamp';
import { InstalledObjects } from './installed-objects';
import { summaryDetailQuery, summaryPath } from './queries';
import { SummaryStatusBadge } from './summary-status-badge';

export function SummaryDetailView({
  name,
  canWrite,
  applied,
}: {
  name: string;
  canWrite: boolean;
  /** just created or rebuilt by this browser (?applied=…) */
  applied: 'create' | 'rebuild' | null;
}) {
  const query = useQuery(summaryDetailQuery(name));
  if (query.isPending) return <TableSkeleton label="Loading the summary" rows={8} />;
  if (query.isError)
    return <ErrorPanel title="Could not read this summary" error={query.error} onRetry={() => void query.refetch()} />;
  if (query.data === null)
    return (
      <Panel>
        <EmptyState title="Summary not found">
          <p>There is no summary named {name} (any more).</p>
          <Link href="/summaries" className={buttonClass('secondary', 'mt-4')}>
            Back to the summaries
          </Link>
        </EmptyState>
      </Panel>
    );
  return <DetailContent summary={query.data} canWrite={canWrite} applied={applied} />;
}

function Stat({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div className="rounded-lg border border-zinc-200 bg-white px-4 py-3 dark:border-zinc-800 dark:bg-zinc-900" title={hint}>
      <dt className="text-xs font-medium text-zinc-500 dark:text-zinc-400">{label}</dt>
      <dd className="mt-1 truncate text-lg font-semibold tabular-nums text-zinc-900 dark:text-zinc-50">{value}</dd>
    </div>
  );
}

function DetailContent({
  summary: s,
  canWrite,
  applied,
}: {
  summary: SummaryDetail;
  canWrite: boolean;
  applied: 'create' | 'rebuild' | null;
}) {
  const [dropOpen, setDropOpen] = useState(false);
  const code = 'font-mono';
  return (
    <div className="space-y-6">
      <div>
        <nav aria-label="Breadcrumb" className="mb-2 text-sm text-zinc-500 dark:text-zinc-400">
          <Link href="/summaries" className="hover:text-zinc-900 hover:underline dark:hover:text-zinc-100">
            Summaries
          </Link>
        </nav>
        <div className="flex flex-wrap items-start justify-between gap-4">
          <div className="min-w-0">
            <div className="flex flex-wrap items-center gap-3">
              <h1 className="break-all font-mono text-xl font-semibold tracking-tight text-zinc-900 dark:text-zinc-50">
                {s.name}
              </h1>
              <SummaryStatusBadge summary={s} />
              <PartialMarker status={s.status} />
              <Badge tone="violet" title="A rebuild installs a new version">
                v{s.version}
              </Badge>
            </div>
            <p className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">
              <Link href={tablePath(s.targetSchema, s.targetTable)} className={`${code} text-sky-700 hover:underline dark:text-sky-400`}>
                {s.targetSchema}.{s.targetTable}
              </Link>{' '}
              kept exact by triggers on{' '}
              <Link href={tablePath(s.sourceSchema, s.sourceTable)} className={`${code} text-sky-700 hover:underline dark:text-sky-400`}>
                {s.sourceSchema}.{s.sourceTable}
              </Link>
            </p>
          </div>
          {canWrite && (
            <div className="flex gap-2">
              <Link href={`${summaryPath(s.name)}/edit`} className={buttonClass('secondary')}>
                Edit…
              </Link>
              <button type="button" className={buttonClass('secondary', 'text-red-700 dark:text-red-400')} onClick={() => setDropOpen(true)}>
                Drop…
              </button>
            </div>
          )}
        </div>
      </div>

      {applied && (
        <div
          role="status"
          className="space-y-2 rounded-lg border border-emerald-200 bg-emerald-50 p-4 text-sm text-emerald-900 dark:border-emerald-900/60 dark:bg-emerald-950/40 dark:text-emerald-200"
        >
          <p className="font-semibold">
            {applied === 'create' ? 'Summary created' : `Rebuilt as version ${s.version}`}: every statement ran in one transaction and is in the{' '}
            <Link href={`/audit?summary=${encodeURIComponent(s.name)}`} className="underline">
              audit log
            </Link>
            .
          </p>
          <BackfillSlot summary={s} variant="after-apply" canWrite={canWrite} />
        </div>
      )}

      {!s.healthy && (
        <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-900 dark:border-red-900/60 dark:bg-red-950/40 dark:text-red-200">
          <p className="font-semibold">Broken: writes to the source are not all maintained, so the summary drifts.</p>
          <ul className="mt-1 list-disc pl-5">
            {s.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
          <p className="mt-2 text-xs">Rebuilding it (Edit, then Rebuild) reinstalls every object.</p>
        </div>
      )}

      <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Stat label="Rows" value={s.rows === null ? '—' : formatInteger(s.rows)} hint="count(*) of the summary table" />
        <Stat label="Size" value={s.size ?? '—'} hint="with indexes and TOAST" />
        <Stat label="Shape" value={s.shape} />
        <Stat label="Updated" value={formatTimestamp(s.updatedAt)} hint={`created ${formatTimestamp(s.createdAt)} by ${s.createdBy}`} />
      </dl>

      <Tabs
        label="Summary"
        tabs={[
          {
            id: 'overview',
            label: 'Overview',
            content: (
              <div className="space-y-6">
                <Panel
                  id="definition"
                  title="Definition"
                  description="The summary table always equals this query's result."
                  actions={<CopyButton text={s.definingQuery} label="Copy the defining query" />}
                >
                  <SqlCode code={s.definingQuery} label="Defining query" />
                </Panel>
                <Panel id="objects" title="Installed objects" count={s.objects.length} description="Checked against pg_catalog just now.">
                  <InstalledObjects objects={s.objects} />
                </Panel>
                {(s.dependsOn.length > 0 || s.usedBy.length > 0) && (
                  <Panel id="chain" title="Chain">
                    <div className="space-y-1 p-4 text-sm">
                      {s.dependsOn.length > 0 && (
                        <p>
                          Reads from:{' '}
                          {s.dependsOn.map((d) => (
                            <Link key={d} href={summaryPath(d)} className="mr-2 font-mono text-sky-700 hover:underline dark:text-sky-400">
                              {d}
                            </Link>
                          ))}
                        </p>
                      )}
                      {s.usedBy.length > 0 && (
                        <p>
                          Read by:{' '}
                          {s.usedBy.map((d) => (
                            <Link key={d} href={summaryPath(d)} className="mr-2 font-mono text-sky-700 hover:underline dark:text-sky-400">
                              {d}
                            </Link>
                          ))}
                        </p>
                      )}
                    </div>
                  </Panel>
                )}
              </div>
            ),
          },
          {
            id: 'sql',
            label: 'SQL',
            content: (
              <div className="space-y-3">
                <SqlSection title="Install (as applied)" code={s.installSql} />
                <SqlSection title="Uninstall" code={s.uninstallSql} />
              </div>
            ),
          },
          {
            id: 'backfill',
            label: 'Backfill',
            content: <BackfillSlot summary={s} variant="tab" canWrite={canWrite} />,
          },
          {
            id: 'latency',
            label: 'Latency',
            content: <LatencyLab name={s.name} canWrite={canWrite} />,
          },
        ]}
      />

      {canWrite && <DropSummaryDialog summary={s} open={dropOpen} onClose={() => setDropOpen(false)} />}
    </div>
  );
}
