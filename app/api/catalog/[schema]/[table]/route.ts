import { getPool } from '@/lib/db/pool';
import { NotFoundError } from '@/lib/errors';
import { getTableDetail } from '@/lib/catalog/get-table-detail';
import { apiRoute } from '@/app/_server/api-route';
import { relationParamsSchema } from '@/app/_server/relation-params';

export const GET = apiRoute<{ params: Promise<{ schema: string; table: string }> }>(
  async ({ context }) => {
    const params = relationParamsSchema.safeParse(await context.params);
    // A segment that is not a valid name cannot name a table: that is a 404 as well.
    const detail = params.success
      ? await getTableDetail(getPool(), params.data.schema, params.data.table)
      : null;
    if (!detail) throw new NotFoundError('no such table or view');
    return detail;
  },
);
