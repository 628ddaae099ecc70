import type { Command } from 'commander';
import { openDatabase } from '../../lib/db/database';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description("create or upgrade Tally's own schema (tally) from migrations/")
    .action(async () => {
      const db = await openDatabase({ migrate: false, log: (l) => console.error(l) });
      try {
        const client = await db.pool.connect();
        try {
          const { migrate } = await import('../../lib/db/migrate');
          const applied = await migrate(client);
          console.log(applied.length ? `applied: ${applied.join(', ')}` : 'already up to date');
        } finally {
          client.release();
        }
      } finally {
        await db.close();
      }
    });
}
