'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useDeferredValue, useId, useMemo, useState } from 'react';
import type { CatalogSchema } from '@/lib/catalog/catalog-types';
import { DataTable, TBody, Td, Th, THead, Tr } from '@/components/ui/data-table';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorPanel } from '@/components/ui/error-panel';
import { formatInteger } from '@/components/ui/format';
import { inputClass } from '@/components/ui/input-class';
import { Panel } from '@/components/ui/panel';
import { TableSkeleton } from '@/components/ui/skeleton';
import { catalogOverviewQuery, tablePath } from './queries';
import { RelationKindBadge } from './relation-kind-badge';
import { rowEstimateText } from './row-estimate-text';

const ALL = '';

function filterSchemas(
  schemas: CatalogSchema[],
  text: string,
  schemaName: string,
): CatalogSchema[] {
  const needle = text.trim().toLowerCase();
  return (
    schemas
      .filter((s) => schemaName === ALL || s.name === schemaName)
      .map((s) => ({
        ...s,
        relations: needle
          ? s.relations.filter(
              (r) =>
                r.name.toLowerCase().includes(needle) ||
                `${s.name}.${r.name}`.toLowerCase().includes(needle),
            )
          : s.relations,
      }))
      // While searching, schemas without a match are noise; otherwise show empty ones too.
      .filter((s) => !needle || s.relations.length > 0)
  );
}

export function CatalogBrowser() {
  const query = useQuery(catalogOverviewQuery());
  const [text, setText] = useState('');
  const [schemaName, setSchemaName] = useState(ALL);
  const deferredText = useDeferredValue(text);
  const filterId = useId();
  const schemaId = useId();

  const schemas = query.data?.schemas;
  const visible = useMemo(
    () => (schemas ? filterSchemas(schemas, deferredText, schemaName) : []),
    [schemas, deferredText, schemaName],
  );

  if (query.isPending) return <TableSkeleton label="Loading the catalog" rows={8} />;
  if (query.isError)
    return (
      <ErrorPanel
        title="Could not read the catalog"
        error={query.error}
        onRetry={() => void query.refetch()}
      />
    );

  const total = query.data.schemas.reduce((n, s) => n + s.relations.length, 0);
  const shown = visible.reduce((n, s) => n + s.relations.length, 0);

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end gap-3">
        <div>
          <label
            htmlFor={filterId}
            className="mb-1 block text-xs font-medium text-zinc-600 dark:text-zinc-400"
          >
            Filter tables
          </label>
          <input
            id={filterId}
            type="search"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="Name, or schema.name"
            autoComplete="off"
            spellCheck={false}
            className={`${inputClass} w-72`}
          />
        </div>
        <div>
          <label
            htmlFor={schemaId}
            className="mb-1 block text-xs font-medium text-zinc-600 dark:text-zinc-400"
          >
            Schema
          </label>
          <select
            id={schemaId}
            value={schemaName}
            onChange={(e) => setSchemaName(e.target.value)}
            className={`${inputClass} w-48 pr-8`}
          >
            <option value={ALL}>All schemas</option>
            {query.data.schemas.map((s) => (
              <option key={s.name} value={s.name}>
                {s.name} ({s.relations.length})
              </option>
            ))}
          </select>
        </div>
        <p
          role="status"
          className="ml-auto pb-1.5 text-sm tabular-nums text-zinc-500 dark:text-zinc-400"
        >
          {shown === total
            ? `${formatInteger(total)} relations`
            : `${formatInteger(shown)} of ${formatInteger(total)} relations`}
        </p>
      </div>

      {total === 0 ? (
        <Panel>
          <EmptyState title="No tables yet">
            This database has no tables or views outside the system schemas.
          </EmptyState>
        </Panel>
      ) : visible.length === 0 ? (
        <Panel>
          <EmptyState title="Nothing matches">
            No table or view matches “{deferredText.trim()}”{schemaName ? ` in ${schemaName}` : ''}.
          </EmptyState>
        </Panel>
      ) : (
        visible.map((schema) => <SchemaPanel key={schema.name} schema={schema} />)
      )}
    </div>
  );
}

function SchemaPanel({ schema }: { schema: CatalogSchema }) {
  const id = useId();
  return (
    <Panel
      id={id}
      title={<span className="font-mono">{schema.name}</span>}
      count={schema.relations.length}
    >
      {schema.relations.length === 0 ? (
        <EmptyState compact title="No tables in this schema." />
      ) : (
        <DataTable caption={`Tables and views in schema ${schema.name}`}>
          <THead>
            <tr>
              <Th className="w-full">Name</Th>
              <Th numeric>Rows (est.)</Th>
              <Th numeric>Total size</Th>
              <Th numeric>Columns</Th>
              <Th numeric>Indexes</Th>
            </tr>
          </THead>
          <TBody>
            {schema.relations.map((r) => (
              <Tr key={r.name}>
                <Td>
                  <div className="flex flex-wrap items-center gap-2">
                    <Link
                      href={tablePath(schema.name, r.name)}
                      className="rounded-sm font-medium text-zinc-900 underline-offset-2 hover:text-sky-700 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600 dark:text-zinc-100 dark:hover:text-sky-400"
                    >
                      {r.name}
                    </Link>
                    <RelationKindBadge relation={r} />
                  </div>
                  {r.comment && (
                    <p className="mt-0.5 line-clamp-1 text-xs text-zinc-500 dark:text-zinc-400">
                      {r.comment}
                    </p>
                  )}
                </Td>
                <Td
                  numeric
                  className={
                    r.rowEstimate === null ? 'text-zinc-400 dark:text-zinc-500' : undefined
                  }
                >
                  {rowEstimateText(r)}
                </Td>
                <Td numeric>
                  {r.totalSize ?? <span className="text-zinc-400 dark:text-zinc-500">—</span>}
                </Td>
                <Td numeric>{formatInteger(r.columnCount)}</Td>
                <Td numeric>{formatInteger(r.indexCount)}</Td>
              </Tr>
            ))}
          </TBody>
        </DataTable>
      )}
    </Panel>
  );
}
