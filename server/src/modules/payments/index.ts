import type { AppModule } from '../../platform/module.js';
import accountBalance from './routes/account-balance.js';
import accountLedger from './routes/account-ledger.js';
import adminBalance from './routes/admin-balance.js';
import adminLedger from './routes/admin-ledger.js';
import adminTopupCreate from './routes/admin-topup-create.js';
import adminVoucherApprove from './routes/admin-voucher-approve.js';
import adminVoucherGet from './routes/admin-voucher-get.js';
import adminVoucherList from './routes/admin-voucher-list.js';
import { registerVoucherPictureRoute } from './routes/admin-voucher-picture.js';
import adminVoucherReject from './routes/admin-voucher-reject.js';

export { ACCOUNTS, balanceOf, type LedgerKind, postTransaction } from './ledger.js';
export type { VoucherRow } from './payments.repo.js';
export {
  type CreateVoucherInput,
  createVoucher,
  VOUCHER_APPROVED_EVENT,
  type VoucherApprovedPayload,
} from './payments.service.js';
export {
  readVoucherPicture,
  VOUCHER_PICTURE_MAX_BYTES,
  type VoucherPicture,
  voucherBodyLimit,
} from './voucher-picture.js';

export const paymentsModule: AppModule = {
  name: 'payments',
  routes: [
    accountBalance,
    accountLedger,
    adminTopupCreate,
    adminBalance,
    adminLedger,
    adminVoucherList,
    adminVoucherGet,
    adminVoucherApprove,
    adminVoucherReject,
  ],
  registerRaw: registerVoucherPictureRoute,
};
