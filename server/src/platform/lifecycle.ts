import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import { createDeveloper, developersRepo } from '../modules/accounts/index.js';
import type { AppDeps } from './deps.js';

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
