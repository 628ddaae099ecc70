import { queryOptions } from '@tanstack/react-query';
import {
  backfillList,
  backfillState,
  type BackfillAction,
  type BackfillList,
  type BackfillState,
} from '@/lib/backfill/backfill-view';
import { isLiveStatus } from '@/lib/backfill/backfill-status';
import { fetchJson } from '@/components/query/fetch-json';
import { sendJson, summaryPath } from '@/components/summaries/queries';

/**
 * One key factory and one `queryOptions` factory per backfill resource. Progress is polled:
 * every second while a run is pending, running or paused (a paused run can be resumed from
 * another console or the CLI), and not at all once it has ended.
 */
export const backfillKeys = {
  all: ['backfills'] as const,
  list: () => [...backfillKeys.all, 'list'] as const,
  state: (name: string) => [...backfillKeys.all, 'state', name] as const,
};

export const POLL_MS = 1000;

export function backfillUrl(name: string): string {
  return `/api${summaryPath(name)}/backfill`;
}

export function backfillStateQuery(
  name: string,
  load: () => Promise<BackfillState> = () => fetchJson(backfillUrl(name), backfillState),
) {
  return queryOptions({
    queryKey: backfillKeys.state(name),
    queryFn: load,
    staleTime: 0,
    refetchInterval: (q) => {
      const status = q.state.data?.current?.status;
      return status && isLiveStatus(status) ? POLL_MS : false;
    },
  });
}

/** The latest run of every summary: polled while any of them is live. */
export function backfillListQuery(
  load: () => Promise<BackfillList> = () => fetchJson('/api/backfills', backfillList),
) {
  return queryOptions({
    queryKey: backfillKeys.list(),
    queryFn: load,
    staleTime: 0,
    refetchInterval: (q) =>
      q.state.data?.runs.some((r) => isLiveStatus(r.status)) ? POLL_MS : false,
  });
}

export function sendBackfillAction(name: string, action: BackfillAction): Promise<BackfillState> {
  return sendJson(backfillUrl(name), 'POST', backfillState, action);
}
