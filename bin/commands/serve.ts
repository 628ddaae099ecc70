import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { openDatabase, PROJECT_ROOT } from '../../lib/db/database';
import { DefinitionError } from '../../lib/errors';
import { buildDemo, loadedDemoScale, type DemoScale } from '../../lib/demo/build-demo';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

function nextBin(): string {
  return path.join(PROJECT_ROOT, 'node_modules', 'next', 'dist', 'bin', 'next');
}

function runNext(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [nextBin(), ...args], {
      cwd: PROJECT_ROOT,
      env,
      stdio: 'inherit',
    });
    const forward = (sig: NodeJS.Signals) => child.kill(sig);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal ? 0 : 1));
    });
  });
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description(
      'start the console: the embedded PostgreSQL (unless DATABASE_URL is set), migrations, demo data on first start, then the web server',
    )
    .option('--dev', 'run the Next.js dev server instead of the production build')
    .option('--port <port>', 'HTTP port', process.env.PORT ?? '3000')
    .option('--host <host>', 'address to listen on', process.env.HOST ?? '127.0.0.1')
    .option(
      '--demo-scale <scale>',
      'demo data to load on the first start of the embedded database (small|medium|large|none)',
      process.env.TALLY_DEMO_SCALE ?? 'small',
    )
    .action(async (opts: { dev?: boolean; port: string; host: string; demoScale: string }) => {
      if (!process.env.TALLY_PASSWORD && !LOOPBACK.has(opts.host)) {
        throw DefinitionError.single(
          'host',
          `refusing to listen on ${opts.host} without TALLY_PASSWORD: the console has no sign-in in demo mode`,
          { hint: 'set TALLY_PASSWORD, or listen on 127.0.0.1' },
        );
      }
      const started = Date.now();
      const db = await openDatabase({ log: (l) => console.log(`[tally] ${l}`) });
      try {
        // Demo data only ever goes into the embedded database, never into a server you named.
        if (db.embedded && opts.demoScale !== 'none' && !(await loadedDemoScale(db.pool))) {
          console.log(`[tally] first start: loading the ${opts.demoScale} demo data`);
          await buildDemo(db.pool, {
            scale: opts.demoScale as DemoScale,
            log: (l) => console.log(`[tally] ${l}`),
          });
        }
        const env = {
          ...process.env,
          DATABASE_URL: db.url,
          TALLY_EMBEDDED: db.embedded ? '1' : '',
        };
        if (!opts.dev && !fs.existsSync(path.join(PROJECT_ROOT, '.next', 'BUILD_ID'))) {
          console.log('[tally] no production build yet: running next build (once)');
          const code = await runNext(['build'], { ...env, NODE_ENV: 'production' });
          if (code !== 0) throw new Error(`next build failed with exit code ${code}`);
        }
        console.log(
          `[tally] database ready in ${Date.now() - started} ms; console on http://${opts.host}:${opts.port}`,
        );
        const code = await runNext(
          [opts.dev ? 'dev' : 'start', '--hostname', opts.host, '--port', opts.port],
          env,
        );
        process.exitCode = code;
      } finally {
        await db.close();
      }
    });
}
