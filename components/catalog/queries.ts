import { queryOptions } from '@tanstack/react-query';
import {
  catalogOverviewSchema,
  tableDetailSchema,
  type CatalogOverview,
  type TableDetail,
} from '@/lib/catalog/catalog-types';
import { ApiError, fetchJson } from '@/components/query/fetch-json';

/**
 * One key factory and one `queryOptions` factory per catalog resource, shared by the server
 * prefetch and the client hooks. The server passes a loader that calls lib/ directly; the
 * browser's default loader goes through the API route. Both produce the same domain type.
 */
export const catalogKeys = {
  all: ['catalog'] as const,
  overview: () => [...catalogKeys.all, 'overview'] as const,
  table: (schema: string, table: string) => [...catalogKeys.all, 'table', schema, table] as const,
};

/** URL path segments; names may contain anything, including "/" and quotes. */
export function tablePath(schema: string, table: string): string {
  return `/catalog/${encodeURIComponent(schema)}/${encodeURIComponent(table)}`;
}

export function catalogOverviewQuery(
  load: () => Promise<CatalogOverview> = () => fetchJson('/api/catalog', catalogOverviewSchema),
) {
  return queryOptions({ queryKey: catalogKeys.overview(), queryFn: load });
}

async function fetchTableDetail(schema: string, table: string): Promise<TableDetail | null> {
  try {
    return await fetchJson(`/api${tablePath(schema, table)}`, tableDetailSchema);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}

/** null when the table does not exist (any more). */
export function tableDetailQuery(
  schema: string,
  table: string,
  load: () => Promise<TableDetail | null> = () => fetchTableDetail(schema, table),
) {
  return queryOptions({ queryKey: catalogKeys.table(schema, table), queryFn: load });
}
