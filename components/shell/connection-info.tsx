import type { ServerInfo } from '@/lib/catalog/catalog-types';

/** The database the console is connected to: where, which one, which server version. */
export function ConnectionInfo({ server }: { server: ServerInfo | null }) {
  if (!server)
    return (
      <div className="text-xs text-red-700 dark:text-red-300" role="status">
        Database unreachable
      </div>
    );
  const where = server.host
    ? `${server.host}${server.port ? `:${server.port}` : ''}`
    : 'local socket';
  const major = server.version.split(' ')[0];
  return (
    <dl className="space-y-1 text-xs" aria-label="Connected database">
      <div className="flex items-center gap-1.5">
        <span className="size-1.5 rounded-full bg-emerald-500" aria-hidden="true" />
        <dt className="sr-only">Database</dt>
        <dd
          className="truncate font-medium text-zinc-800 dark:text-zinc-200"
          title={`${where}/${server.database}`}
        >
          {server.database}
        </dd>
      </div>
      <div>
        <dt className="sr-only">Host</dt>
        <dd className="truncate font-mono text-zinc-500 dark:text-zinc-400">{where}</dd>
      </div>
      <div>
        <dt className="sr-only">Server version</dt>
        <dd className="text-zinc-500 dark:text-zinc-400" title={server.version}>
          PostgreSQL {major}
        </dd>
      </div>
    </dl>
  );
}
