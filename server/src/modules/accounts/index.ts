import type { AppModule } from '../../platform/module.js';
import { startAccounts } from './demo-developer.js';
import addressGet from './routes/address-get.js';
import addressSave from './routes/address-save.js';
import adminDeveloperCreate from './routes/admin-developer-create.js';
import adminDeveloperGet from './routes/admin-developer-get.js';
import adminDeveloperList from './routes/admin-developer-list.js';
import adminDeveloperStatus from './routes/admin-developer-status.js';
import adminKeyIssue from './routes/admin-key-issue.js';
import adminKeyList from './routes/admin-key-list.js';
import adminKeyMd5 from './routes/admin-key-md5.js';
import adminKeyNonceless from './routes/admin-key-nonceless.js';
import adminKeyRevoke from './routes/admin-key-revoke.js';
import adminKeyRotate from './routes/admin-key-rotate.js';
import adminUserCreate from './routes/admin-user-create.js';
import adminUserList from './routes/admin-user-list.js';
import adminUserStatus from './routes/admin-user-status.js';
import userCreate from './routes/user-create.js';
import userGet from './routes/user-get.js';
import userList from './routes/user-list.js';

export { developersRepo } from './accounts.repo.js';
export { createDeveloper } from './accounts.service.js';
export { addressForOrder, type OrderAddress } from './addresses.js';
export { createCredentialStore } from './credentials.js';
export { ensureDemoDeveloper } from './demo-developer.js';

export const accountsModule: AppModule = {
  name: 'accounts',
  routes: [
    userCreate,
    userList,
    userGet,
    addressGet,
    addressSave,
    adminDeveloperCreate,
    adminDeveloperList,
    adminDeveloperGet,
    adminDeveloperStatus,
    adminKeyIssue,
    adminKeyList,
    adminKeyRotate,
    adminKeyRevoke,
    adminKeyMd5,
    adminKeyNonceless,
    adminUserCreate,
    adminUserList,
    adminUserStatus,
  ],
  onStart: startAccounts,
};
