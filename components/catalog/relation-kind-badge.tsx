import type { RelationSummary } from '@/lib/catalog/catalog-types';
import { Badge } from '@/components/ui/badge';

/** Plain tables carry no badge; everything else says what it is. */
export function RelationKindBadge({
  relation,
}: {
  relation: Pick<RelationSummary, 'kind' | 'isPartition'>;
}) {
  return (
    <>
      {relation.kind === 'view' && <Badge tone="violet">view</Badge>}
      {relation.kind === 'materialized view' && <Badge tone="violet">materialized view</Badge>}
      {relation.kind === 'partitioned table' && <Badge tone="blue">partitioned</Badge>}
      {relation.kind === 'foreign table' && <Badge tone="amber">foreign</Badge>}
      {relation.isPartition && <Badge>partition</Badge>}
    </>
  );
}
