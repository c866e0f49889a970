import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { BackupError } from '../platform/backup/manifest.js';

/**
 * `ponte backup` and `ponte restore`: a consistent copy of a deployment's data taken while it serves (the main
 * database, the sandbox market's store, the stored files), and putting one back with the servers stopped.
 */

/** Runs a command's work; a refusal or failure the operator can act on is printed alone, with exit code 1. */
async function run(command: string, work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (err) {
    if (!(err instanceof BackupError)) throw err;
    process.stderr.write(`ponte ${command}: ${err.message}\n`);
    process.exitCode = 1;
  }
}

const context = () => ({
  config: loadConfig(),
  pgBinDir: process.env.PONTE_PG_BINDIR || undefined,
  now: () => new Date(),
  log: (line: string) => process.stdout.write(`${line}\n`),
});

export function registerBackupCommands(program: Command): void {
  program
    .command('backup')
    .description(
      'Copy the database, the sandbox store and the stored files into a new folder, while the server runs; ' +
        'pg_dump on PostgreSQL',
    )
    .option('--out <dir>', 'the folder to create (default: <PONTE_DATA_DIR>/backups/<UTC time>); must not hold files')
    .option('--include-master-key', 'put the master key in the backup too (otherwise keep it separately)')
    .action((opts: { out?: string; includeMasterKey?: boolean }) =>
      run('backup', async () => {
        // Loaded when used: every other command starts without the database and backup code.
        const { createBackup } = await import('../platform/backup/backup.js');
        await createBackup(context(), { out: opts.out, includeMasterKey: opts.includeMasterKey });
      }),
    );

  program
    .command('restore')
    .description(
      'Put a backup in place of this deployment’s data (stop its servers first): checksums and the master key are ' +
        'checked first, then the migrations run',
    )
    .argument('<dir>', 'the backup’s folder (the one holding manifest.json)')
    .option('--force', 'replace a database with tables, a sandbox store or stored files that are there')
    .action((dir: string, opts: { force?: boolean }) =>
      run('restore', async () => {
        const { restoreBackup } = await import('../platform/backup/restore.js');
        await restoreBackup(context(), { dir, force: opts.force });
      }),
    );
}
