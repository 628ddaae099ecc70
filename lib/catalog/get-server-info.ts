import type { Queryable } from '../db/pool';
import { exec } from '../db/pool';
import type { ServerInfo } from './catalog-types';

const SERVER_INFO_SQL = `
SELECT current_database() AS database,
       host(inet_server_addr()) AS host,
       inet_server_port() AS port,
       current_user AS "user",
       current_setting('server_version') AS version,
       current_setting('server_version_num')::int AS version_num`;

interface ServerInfoRow {
  database: string;
  host: string | null;
  port: number | null;
  user: string;
  version: string;
  version_num: number;
}

/** Which server and database the console is connected to (no credentials). */
export async function getServerInfo(db: Queryable): Promise<ServerInfo> {
  const { rows } = await exec<ServerInfoRow>(db, SERVER_INFO_SQL);
  const r = rows[0]!;
  return {
    database: r.database,
    host: r.host,
    port: r.port,
    user: r.user,
    version: r.version,
    versionNum: r.version_num,
  };
}
