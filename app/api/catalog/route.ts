import { getPool } from '@/lib/db/pool';
import { getCatalogOverview } from '@/lib/catalog/get-catalog-overview';
import { apiRoute } from '@/app/_server/api-route';

export const GET = apiRoute(() => getCatalogOverview(getPool()));
