import readline from 'node:readline/promises';
import type { Command } from 'commander';
import { openDatabase } from '../../lib/db/database';
import { DefinitionError } from '../../lib/errors';
import { dropSummary } from '../../lib/summary/drop-summary';
import { getSummary } from '../../lib/summary/registry';
import { cliActor } from '../actor';
import { parseMilliseconds } from '../option-parsers';
import { qualify } from '../../lib/db/ident';

/** `tally drop`: destructive, so on a terminal the user types the name; scripts pass --yes. */
export function registerDrop(program: Command): void {
  program
    .command('drop')
    .description(
      'remove a summary: its triggers, table, functions and catalog row, in one transaction',
    )
    .argument('<name>', 'the summary to drop')
    .option('--yes', 'do not ask for confirmation (required when not on a terminal)')
    .option(
      '--lock-timeout <ms>',
      'lock_timeout of the drop transaction (default 5000)',
      parseMilliseconds,
    )
    .addHelpText(
      'after',
      `
Examples:
  $ tally drop calls_by_user          # shows the uninstall SQL, asks you to type the name
  $ tally drop calls_by_user --yes    # in scripts and CI

Without --yes and without a terminal, nothing is dropped and the exit code is 2.`,
    )
    .action(async (name: string, opts: { yes?: boolean; lockTimeout?: number }) => {
      const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
      if (!opts.yes && !interactive)
        throw DefinitionError.single(
          'yes',
          `dropping "${name}" removes its table and triggers: confirm with --yes when not running on a terminal`,
        );
      const db = await openDatabase({ log: (l) => console.error(l) });
      try {
        const summary = await getSummary(db.pool, name);
        if (!opts.yes) {
          console.log(`This runs, in one transaction:\n\n${summary.uninstallSql.trimEnd()}\n`);
          const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
          const answer = await rl
            .question(`Type the summary name (${name}) to drop it: `)
            .finally(() => rl.close());
          if (answer.trim() !== name) {
            console.error('not dropped: the name did not match');
            process.exitCode = 1;
            return;
          }
        }
        await dropSummary(db.pool, name, {
          actor: cliActor(),
          ...(opts.lockTimeout !== undefined ? { lockTimeoutMs: opts.lockTimeout } : {}),
        });
        console.log(
          `dropped summary "${name}": ${qualify(summary.targetSchema, summary.targetTable)} and its triggers on ${qualify(summary.sourceSchema, summary.sourceTable)}`,
        );
      } finally {
        await db.close();
      }
    });
}
