'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import type { ReactNode } from 'react';
import type {
  Column,
  ForeignKey,
  Index,
  TableDetail,
  Trigger,
  TriggerState,
} from '@/lib/catalog/catalog-types';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { buttonClass } from '@/components/ui/button-class';
import { DataTable, TBody, Td, Th, THead, Tr } from '@/components/ui/data-table';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorPanel } from '@/components/ui/error-panel';
import { formatInteger } from '@/components/ui/format';
import { Panel } from '@/components/ui/panel';
import { TableSkeleton } from '@/components/ui/skeleton';
import { tableDetailQuery, tablePath } from './queries';
import { RelationKindBadge } from './relation-kind-badge';
import { rowEstimateText } from './row-estimate-text';

export function TableDetailView({ schema, table }: { schema: string; table: string }) {
  const query = useQuery(tableDetailQuery(schema, table));
  if (query.isPending) return <TableSkeleton label="Loading the table" rows={8} />;
  if (query.isError)
    return (
      <ErrorPanel
        title="Could not read this table"
        error={query.error}
        onRetry={() => void query.refetch()}
      />
    );
  if (query.data === null)
    return (
      <Panel>
        <EmptyState title="Table not found">
          <p>
            {schema}.{table} no longer exists.
          </p>
          <Link href="/catalog" className={buttonClass('secondary', 'mt-4')}>
            Back to the catalog
          </Link>
        </EmptyState>
      </Panel>
    );
  return <TableDetailContent detail={query.data} />;
}

function TableDetailContent({ detail }: { detail: TableDetail }) {
  const { relation: r } = detail;
  const isView = r.kind === 'view' || r.kind === 'materialized view';
  return (
    <div className="space-y-6">
      <div>
        <nav aria-label="Breadcrumb" className="mb-2 text-sm text-zinc-500 dark:text-zinc-400">
          <ol className="flex flex-wrap items-center gap-1.5">
            <li>
              <Link
                href="/catalog"
                className="hover:text-zinc-900 hover:underline dark:hover:text-zinc-100"
              >
                Catalog
              </Link>
            </li>
            <li aria-hidden="true">/</li>
            <li className="font-mono">{r.schema}</li>
          </ol>
        </nav>
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="break-all font-mono text-xl font-semibold tracking-tight text-zinc-900 dark:text-zinc-50">
            {r.name}
          </h1>
          <RelationKindBadge relation={r} />
        </div>
        {r.comment && <p className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">{r.comment}</p>}
      </div>

      <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Stat label="Rows (estimate)" value={rowEstimateText(r)} />
        <Stat
          label="Total size"
          value={r.totalSize ?? '—'}
          hint={
            r.totalBytes !== null
              ? `${formatInteger(r.totalBytes)} bytes, with indexes and TOAST`
              : undefined
          }
        />
        <Stat label="Columns" value={formatInteger(r.columnCount)} />
        <Stat label="Indexes" value={formatInteger(r.indexCount)} />
      </dl>

      <ColumnsPanel columns={detail.columns} />
      {!(r.kind === 'view') && <IndexesPanel indexes={detail.indexes} />}
      {!isView && (
        <ForeignKeysPanel
          outgoing={detail.foreignKeys.outgoing}
          incoming={detail.foreignKeys.incoming}
        />
      )}
      <TriggersPanel triggers={detail.triggers} />
      {detail.viewDefinition !== null && (
        <Panel id="view-definition" title="Definition">
          <pre className="overflow-x-auto p-4 font-mono text-xs leading-relaxed text-zinc-800 dark:text-zinc-200">
            {detail.viewDefinition.trim()}
          </pre>
        </Panel>
      )}
    </div>
  );
}

function Stat({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div
      className="rounded-lg border border-zinc-200 bg-white px-4 py-3 dark:border-zinc-800 dark:bg-zinc-900"
      title={hint}
    >
      <dt className="text-xs font-medium text-zinc-500 dark:text-zinc-400">{label}</dt>
      <dd className="mt-1 text-lg font-semibold tabular-nums text-zinc-900 dark:text-zinc-50">
        {value}
      </dd>
    </div>
  );
}

const muted = 'text-zinc-400 dark:text-zinc-500';
const code = 'font-mono text-[13px]';

function ColumnsPanel({ columns }: { columns: Column[] }) {
  return (
    <Panel id="columns" title="Columns" count={columns.length}>
      {columns.length === 0 ? (
        <EmptyState compact title="No columns." />
      ) : (
        <DataTable caption="Columns">
          <THead>
            <tr>
              <Th numeric className="w-12">
                #
              </Th>
              <Th>Name</Th>
              <Th>Type</Th>
              <Th>Nullable</Th>
              <Th>Default</Th>
              <Th>Keys</Th>
            </tr>
          </THead>
          <TBody>
            {columns.map((c) => (
              <Tr key={c.position}>
                <Td numeric className={muted}>
                  {c.position}
                </Td>
                <Td className={`${code} font-medium`}>{c.name}</Td>
                <Td className={`${code} text-zinc-600 dark:text-zinc-300`}>{c.type}</Td>
                <Td>
                  {c.nullable ? (
                    <span className="text-zinc-600 dark:text-zinc-300">null</span>
                  ) : (
                    <span className="font-medium">not null</span>
                  )}
                </Td>
                <Td className={`${code} max-w-xs break-words`}>
                  {c.identity ? (
                    <span className="text-zinc-600 dark:text-zinc-300">
                      identity ({c.identity})
                    </span>
                  ) : c.default !== null ? (
                    <>
                      {c.generated && <span className="text-zinc-500">generated: </span>}
                      {c.default}
                    </>
                  ) : (
                    <span className={muted}>—</span>
                  )}
                </Td>
                <Td>
                  <div className="flex gap-1">
                    {c.inPrimaryKey && (
                      <Badge tone="amber" title="Part of the primary key">
                        PK
                      </Badge>
                    )}
                    {c.inForeignKey && (
                      <Badge tone="blue" title="Part of a foreign key">
                        FK
                      </Badge>
                    )}
                  </div>
                </Td>
              </Tr>
            ))}
          </TBody>
        </DataTable>
      )}
    </Panel>
  );
}

function IndexesPanel({ indexes }: { indexes: Index[] }) {
  return (
    <Panel id="indexes" title="Indexes" count={indexes.length}>
      {indexes.length === 0 ? (
        <EmptyState compact title="No indexes.">
          Lookups by a group key will scan the whole table.
        </EmptyState>
      ) : (
        <DataTable caption="Indexes">
          <THead>
            <tr>
              <Th>Name</Th>
              <Th>Definition</Th>
              <Th>Unique</Th>
              <Th numeric>Size</Th>
            </tr>
          </THead>
          <TBody>
            {indexes.map((i) => (
              <Tr key={i.name}>
                <Td className={`${code} font-medium`}>
                  <div className="flex flex-wrap items-center gap-1.5">
                    {i.name}
                    {i.primary && <Badge tone="amber">primary</Badge>}
                    {!i.valid && (
                      <Badge tone="red" title="Being built concurrently, or the build failed">
                        invalid
                      </Badge>
                    )}
                  </div>
                </Td>
                <Td className={`${code} text-zinc-600 [overflow-wrap:anywhere] dark:text-zinc-300`}>
                  {i.definition}
                </Td>
                <Td>{i.unique ? 'unique' : <span className={muted}>—</span>}</Td>
                <Td numeric>{i.size}</Td>
              </Tr>
            ))}
          </TBody>
        </DataTable>
      )}
    </Panel>
  );
}

function TableRef({
  schema,
  table,
  columns,
}: {
  schema: string;
  table: string;
  columns: string[];
}) {
  return (
    <span className={code}>
      <Link
        href={tablePath(schema, table)}
        className="font-medium text-sky-700 hover:underline dark:text-sky-400"
      >
        {schema}.{table}
      </Link>
      <span className="text-zinc-500 dark:text-zinc-400"> ({columns.join(', ')})</span>
    </span>
  );
}

function ForeignKeysPanel({
  outgoing,
  incoming,
}: {
  outgoing: ForeignKey[];
  incoming: ForeignKey[];
}) {
  return (
    <Panel
      id="foreign-keys"
      title="Foreign keys"
      count={outgoing.length + incoming.length}
      description="Outgoing keys name the dimension tables a summary can join to."
    >
      <FkTable
        caption="Outgoing: tables this one references"
        keys={outgoing}
        empty="This table references no other table."
        cells={(k) => (
          <>
            <Td className={code}>{k.fromColumns.join(', ')}</Td>
            <Td>
              <TableRef schema={k.toSchema} table={k.toTable} columns={k.toColumns} />
            </Td>
          </>
        )}
        headers={['Columns', 'References']}
      />
      <FkTable
        caption="Incoming: tables that reference this one"
        keys={incoming}
        empty="No table references this one."
        cells={(k) => (
          <>
            <Td>
              <TableRef schema={k.fromSchema} table={k.fromTable} columns={k.fromColumns} />
            </Td>
            <Td className={code}>{k.toColumns.join(', ')}</Td>
          </>
        )}
        headers={['Referencing table', 'Columns here']}
      />
    </Panel>
  );
}

function FkTable({
  caption,
  keys,
  empty,
  headers,
  cells,
}: {
  caption: string;
  keys: ForeignKey[];
  empty: string;
  headers: [string, string];
  cells: (k: ForeignKey) => ReactNode;
}) {
  return (
    <div className="border-b border-zinc-200 last:border-b-0 dark:border-zinc-800">
      <h3 className="px-4 pb-1 pt-3 text-xs font-semibold text-zinc-600 dark:text-zinc-300">
        {caption}
      </h3>
      {keys.length === 0 ? (
        <p className="px-4 pb-3 text-sm text-zinc-500 dark:text-zinc-400">{empty}</p>
      ) : (
        <DataTable caption={caption}>
          <THead>
            <tr>
              <Th>Constraint</Th>
              <Th>{headers[0]}</Th>
              <Th>{headers[1]}</Th>
              <Th>On delete</Th>
              <Th>On update</Th>
            </tr>
          </THead>
          <TBody>
            {keys.map((k) => (
              <Tr key={`${k.fromSchema}.${k.fromTable}.${k.name}`}>
                <Td className={`${code} font-medium`} title={k.definition}>
                  {k.name}
                </Td>
                {cells(k)}
                <Td className="whitespace-nowrap">{k.onDelete}</Td>
                <Td className="whitespace-nowrap">{k.onUpdate}</Td>
              </Tr>
            ))}
          </TBody>
        </DataTable>
      )}
    </div>
  );
}

const TRIGGER_STATES: Record<TriggerState, { label: string; tone: BadgeTone; title: string }> = {
  enabled: { label: 'enabled', tone: 'green', title: 'Fires on ordinary writes (tgenabled = O)' },
  always: {
    label: 'always',
    tone: 'green',
    title: 'Fires on every write, replication included (tgenabled = A)',
  },
  replica: {
    label: 'replica only',
    tone: 'amber',
    title:
      'Fires only with session_replication_role = replica (tgenabled = R): ordinary writes skip it',
  },
  disabled: { label: 'disabled', tone: 'red', title: 'Never fires (tgenabled = D)' },
};

function TriggersPanel({ triggers }: { triggers: Trigger[] }) {
  return (
    <Panel id="triggers" title="Triggers" count={triggers.length}>
      {triggers.length === 0 ? (
        <EmptyState compact title="No triggers." />
      ) : (
        <DataTable caption="Triggers">
          <THead>
            <tr>
              <Th>Name</Th>
              <Th>State</Th>
              <Th>Fires</Th>
              <Th>Function</Th>
            </tr>
          </THead>
          <TBody>
            {triggers.map((t) => {
              const state = TRIGGER_STATES[t.state];
              return (
                <Tr key={t.name}>
                  <Td className={`${code} font-medium`} title={t.definition}>
                    {t.name}
                  </Td>
                  <Td>
                    <Badge tone={state.tone} title={state.title}>
                      {state.label}
                    </Badge>
                  </Td>
                  <Td className="whitespace-nowrap">
                    {t.timing} {t.events.join(' / ')}{' '}
                    <span className="text-zinc-500 dark:text-zinc-400">for each {t.level}</span>
                  </Td>
                  <Td className={code}>
                    {t.functionSchema}.{t.functionName}()
                  </Td>
                </Tr>
              );
            })}
          </TBody>
        </DataTable>
      )}
    </Panel>
  );
}
