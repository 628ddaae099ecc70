import fs from 'node:fs';
import path from 'node:path';

/**
 * Every page and route handler under app/, found on disk the way the App Router finds them,
 * so that the auth tests cover routes added later without anyone listing them.
 */
export interface AppRoute {
  readonly kind: 'page' | 'route';
  /** path of the file, relative to the project root */
  readonly file: string;
  /** a URL path for it, dynamic segments filled with `sample` */
  readonly path: string;
  readonly params: Record<string, string>;
}

/** Reachable without a session, on purpose. Anything else must answer 401 or redirect. */
export const PUBLIC_ROUTES: ReadonlySet<string> = new Set([
  '/signin',
  '/api/auth/signin',
  '/api/auth/signout',
]);

export function listAppRoutes(root: string, sample = 'sample'): AppRoute[] {
  const out: AppRoute[] = [];
  const walk = (dir: string, segments: string[], params: Record<string, string>) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        const name = entry.name;
        if (name.startsWith('_') || name.startsWith('@')) continue; // private folders and parallel slots
        if (/^\(.+\)$/.test(name))
          walk(full, segments, params); // route group: no URL segment
        else {
          const dynamic = /^\[{1,2}(?:\.\.\.)?([^\]]+)\]{1,2}$/.exec(name);
          if (dynamic) walk(full, [...segments, sample], { ...params, [dynamic[1]!]: sample });
          else walk(full, [...segments, name], params);
        }
      } else if (/^(page|route)\.(tsx?|jsx?)$/.test(entry.name)) {
        out.push({
          kind: entry.name.startsWith('page') ? 'page' : 'route',
          file: path.relative(root, full),
          path: `/${segments.join('/')}`,
          params,
        });
      }
    }
  };
  walk(path.join(root, 'app'), [], {});
  return out.sort((a, b) => a.path.localeCompare(b.path));
}
