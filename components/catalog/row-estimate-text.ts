import type { RelationSummary } from '@/lib/catalog/catalog-types';
import { formatEstimate } from '@/components/ui/format';

/** The row-estimate cell: plain views hold no rows; reltuples is unknown until ANALYZE. */
export function rowEstimateText(r: Pick<RelationSummary, 'kind' | 'rowEstimate'>): string {
  if (r.kind === 'view') return '—';
  if (r.rowEstimate === null) return 'never analyzed';
  return formatEstimate(r.rowEstimate);
}
