import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import {
  latencyOverviewItem,
  latencyRun,
  type LatencyOverviewItem,
  type LatencyRequest,
  type LatencyRun,
} from '@/lib/latency/latency-views';
import { fetchJson } from '@/components/query/fetch-json';

/** One key factory and one `queryOptions` factory per latency-lab resource. */
export const latencyKeys = {
  all: ['latency'] as const,
  runs: (name: string) => [...latencyKeys.all, 'runs', name] as const,
  run: (name: string, id: number) => [...latencyKeys.all, 'run', name, id] as const,
  overview: () => [...latencyKeys.all, 'overview'] as const,
};

const base = (name: string) => `/api/summaries/${encodeURIComponent(name)}/latency`;

/** Poll every second while a run is going; stop when none is. */
const POLL_MS = 1000;

export function latencyRunsQuery(
  name: string,
  load: () => Promise<LatencyRun[]> = () => fetchJson(base(name), z.array(latencyRun)),
) {
  return queryOptions({
    queryKey: latencyKeys.runs(name),
    queryFn: load,
    refetchInterval: (q) => (q.state.data?.some((r) => r.status === 'running') ? POLL_MS : false),
  });
}

export function latencyRunQuery(name: string, id: number) {
  return queryOptions({
    queryKey: latencyKeys.run(name, id),
    queryFn: () => fetchJson(`${base(name)}/${id}`, latencyRun),
    refetchInterval: (q) => (q.state.data?.status === 'running' ? POLL_MS : false),
  });
}

export function latencyOverviewQuery(
  load: () => Promise<LatencyOverviewItem[]> = () =>
    fetchJson('/api/summaries/latency-overview', z.array(latencyOverviewItem)),
) {
  return queryOptions({ queryKey: latencyKeys.overview(), queryFn: load });
}

export function startLatencyRun(name: string, request: LatencyRequest): Promise<{ runId: number }> {
  return fetchJson(base(name), z.strictObject({ runId: z.number().int() }), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
}
