import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import {
  auditPageSchema,
  mutationErrorSchema,
  previewResultSchema,
  summaryDetailSchema,
  summaryListItemSchema,
  type AuditPage,
  type FieldIssueView,
  type PreviewRequest,
  type PreviewResult,
  type SummaryDetail,
  type SummaryListItem,
} from '@/lib/summary/summary-views';
import { ApiError, fetchJson } from '@/components/query/fetch-json';

/**
 * One key factory and one `queryOptions` factory per summary resource, shared by the server
 * prefetch (which passes a loader calling lib/ directly) and the browser (the API routes).
 */
export const summaryKeys = {
  all: ['summaries'] as const,
  list: () => [...summaryKeys.all, 'list'] as const,
  detail: (name: string) => [...summaryKeys.all, 'detail', name] as const,
  preview: (req: PreviewRequest) => [...summaryKeys.all, 'preview', req] as const,
  audit: (filters: AuditFilters) => ['audit', filters] as const,
};

export function summaryPath(name: string): string {
  return `/summaries/${encodeURIComponent(name)}`;
}

const listSchema = z.array(summaryListItemSchema);

export function summariesQuery(
  load: () => Promise<SummaryListItem[]> = () => fetchJson('/api/summaries', listSchema),
) {
  return queryOptions({ queryKey: summaryKeys.list(), queryFn: load });
}

async function fetchDetail(name: string): Promise<SummaryDetail | null> {
  try {
    return await fetchJson(`/api${summaryPath(name)}`, summaryDetailSchema);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}

/** null when there is no such summary (any more). */
export function summaryDetailQuery(
  name: string,
  load: () => Promise<SummaryDetail | null> = () => fetchDetail(name),
) {
  return queryOptions({ queryKey: summaryKeys.detail(name), queryFn: load });
}

/** The live preview of a definition; the request is the key, so each edit is its own entry. */
export function previewQuery(req: PreviewRequest) {
  return queryOptions({
    queryKey: summaryKeys.preview(req),
    queryFn: ({ signal }): Promise<PreviewResult> =>
      fetchJson('/api/summaries/sql-preview', previewResultSchema, {
        method: 'POST',
        body: JSON.stringify(req),
        headers: { 'content-type': 'application/json' },
        signal,
      }),
    // the answer depends on the database (a name taken meanwhile): keep it briefly
    staleTime: 5_000,
  });
}

export interface AuditFilters {
  readonly summary?: string;
  readonly outcome?: 'ok' | 'error';
}

function auditUrl(filters: AuditFilters, before?: number): string {
  const params = new URLSearchParams();
  if (filters.summary) params.set('summary', filters.summary);
  if (filters.outcome) params.set('outcome', filters.outcome);
  if (before !== undefined) params.set('before', String(before));
  const qs = params.toString();
  return `/api/audit${qs ? `?${qs}` : ''}`;
}

/** Pages of the audit log, newest first; each page names where the next (older) one starts. */
export function auditLogQuery(
  filters: AuditFilters,
  loadFirst: () => Promise<AuditPage> = () => fetchJson(auditUrl(filters), auditPageSchema),
) {
  return infiniteQueryOptions({
    queryKey: summaryKeys.audit(filters),
    queryFn: ({ pageParam }) =>
      pageParam === undefined
        ? loadFirst()
        : fetchJson(auditUrl(filters, pageParam), auditPageSchema),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last) => last.nextBefore ?? undefined,
  });
}

/** A failed mutation: the psql-style text, and the field issues when the input was at fault. */
export class MutationError extends Error {
  override readonly name = 'MutationError';
  constructor(
    readonly status: number,
    message: string,
    readonly issues: readonly FieldIssueView[] = [],
  ) {
    super(message);
  }
}

/** POST/PUT/DELETE to a summary route; answers the parsed body or throws MutationError. */
export async function sendJson<S extends z.ZodType>(
  url: string,
  method: 'POST' | 'PUT' | 'DELETE',
  schema: S,
  body?: unknown,
): Promise<z.infer<S>> {
  const res = await fetch(url, {
    method,
    credentials: 'same-origin',
    headers: { accept: 'application/json', 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const json: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const err = mutationErrorSchema.safeParse(json);
    throw new MutationError(
      res.status,
      err.success ? err.data.error : res.statusText,
      err.success ? (err.data.issues ?? []) : [],
    );
  }
  return schema.parse(json);
}
