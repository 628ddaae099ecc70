import { Command, CommanderError } from 'commander';
import { errorExitCode, formatError } from '../lib/errors';
import { registerServe } from './commands/serve';
import { registerMigrate } from './commands/migrate';
import { registerDemo } from './commands/demo';
import { registerTraffic } from './commands/traffic';
import { registerGenerate } from './commands/generate';
import { registerCreate } from './commands/create';
import { registerDrop } from './commands/drop';
import { registerList } from './commands/list';
import { registerStatus } from './commands/status';
import { registerBench } from './commands/bench';
import { registerBackfill } from './commands/backfill';
import { registerWorker } from './commands/worker';

const program = new Command('tally')
  .description('PostgreSQL summary tables kept exact by generated triggers')
  .showHelpAfterError()
  .exitOverride();

// One line per command module; each module owns its options and help text.
registerServe(program);
registerMigrate(program);
registerDemo(program);
registerTraffic(program);
registerGenerate(program);
registerCreate(program);
registerDrop(program);
registerList(program);
registerStatus(program);
registerBench(program);
registerBackfill(program);
registerWorker(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    // commander already printed the message; usage errors are bad input (exit 2)
    process.exit(e.exitCode === 0 ? 0 : 2);
  }
  console.error(formatError(e));
  process.exit(errorExitCode(e));
}
