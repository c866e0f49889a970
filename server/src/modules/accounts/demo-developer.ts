import fs from 'node:fs';
import path from 'node:path';
import type { Transaction } from 'kysely';
import type { Config } from '../../config.js';
import { lockTransaction } from '../../platform/db/dialect.js';
import type { AppDeps } from '../../platform/deps.js';
import type { StartReport } from '../../platform/module.js';
import { developersRepo } from './accounts.repo.js';
import { createDeveloper } from './accounts.service.js';

const DEMO_LOCK_ID = 7_001_001;

export interface DemoCredentials {
  accessKey: string;
  accessSecret: string;
  userId: string;
  developId: string;
}

/**
 * On a database with no developer, creates the demo developer and writes its credentials to
 * `<dataDir>/demo-credentials.json` (mode 0600). Returns them, or null when developers exist.
 */
export async function ensureDemoDeveloper(config: Config, deps: AppDeps): Promise<DemoCredentials | null> {
  const created = await deps.database.transaction(async (trx) => {
    // Processes starting together on one empty database: only the first creates the demo developer.
    await lockTransaction(deps.database.kind, trx as Transaction<unknown>, DEMO_LOCK_ID);
    if ((await developersRepo.count(trx)) > 0) return null;
    return createDeveloper(deps, trx, { name: 'Demo developer' });
  });
  if (!created) return null;
  const creds: DemoCredentials = {
    accessKey: created.key.accessKey,
    accessSecret: created.key.accessSecret,
    userId: created.main.user_id,
    developId: created.developer.id,
  };
  fs.mkdirSync(config.dataDir, { recursive: true });
  fs.writeFileSync(path.join(config.dataDir, 'demo-credentials.json'), `${JSON.stringify(creds, null, 2)}\n`, {
    mode: 0o600,
  });
  return creds;
}

/** The accounts module's start-up: the demo developer on a first start, its credentials printed. */
export async function startAccounts(deps: AppDeps, report: StartReport): Promise<void> {
  const { config } = deps;
  if (!config.createDemoDeveloper) return;
  const demo = await ensureDemoDeveloper(config, deps);
  if (!demo) return;
  const file = path.join(config.dataDir, 'demo-credentials.json');
  report(
    `\nPonte created a demo developer (also written to ${file}):\n` +
      `  developId    ${demo.developId}\n  userId       ${demo.userId}\n` +
      `  accessKey    ${demo.accessKey}\n  accessSecret ${demo.accessSecret}\n` +
      `The admin token is in ${config.adminToken ? 'PONTE_ADMIN_TOKEN' : path.join(config.dataDir, 'admin-token')}.\n\n`,
  );
}
