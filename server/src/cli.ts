import cluster from 'node:cluster';
import { Command } from 'commander';
import { registerAdminCommands } from './cli/admin.js';
import { registerBackupCommands } from './cli/backup.js';
import { registerFakeUpstreamCommand } from './cli/fake-upstream.js';
import { registerSandboxCommands } from './cli/sandbox.js';
import { registerUpstreamCommands } from './cli/upstream.js';
import { loadConfig } from './config.js';
import { migrateToLatest, openDatabase } from './platform/db/database.js';

/** `ponte`: serve, migrate, admin. */
export async function main(argv: string[]): Promise<void> {
  const program = new Command('ponte')
    .description('Ponte: a PandaPon-compatible cross-border sourcing API')
    .showHelpAfterError();

  program
    .command('serve')
    .description('Run the API server (and its workers unless PONTE_WORKERS=false); configured by environment variables')
    .option('--processes <n>', 'HTTP processes to run on this machine, or "auto" for one per core (PONTE_PROCESSES)')
    .action(async (options: { processes?: string }) => {
      const config = loadConfig(
        options.processes === undefined ? process.env : { ...process.env, PONTE_PROCESSES: options.processes },
      );
      if (config.processes > 1 && cluster.isPrimary) {
        const { servePrimary } = await import('./primary.js');
        await servePrimary(config);
        return;
      }
      const { serve } = await import('./main.js');
      await serve(config);
    });

  program
    .command('migrate')
    .description('Apply pending database migrations and exit')
    .action(async () => {
      const database = openDatabase(loadConfig());
      try {
        const applied = await migrateToLatest(database);
        process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n');
      } finally {
        await database.close();
      }
    });

  registerAdminCommands(program);
  registerSandboxCommands(program);
  registerUpstreamCommands(program);
  registerFakeUpstreamCommand(program);
  registerBackupCommands(program);
  await program.parseAsync(argv);
}
