import { defineRoute } from '../../../platform/http/route.js';
import { toVoucher, Voucher, VoucherParams } from '../payments.schemas.js';
import { findVoucher } from '../payments.service.js';

export default defineRoute({
  method: 'GET',
  url: '/admin/vouchers/:voucherId',
  operationId: 'adminGetVoucher',
  summary: 'Get a payment voucher',
  description: 'The voucher with a link to its picture (`pictureUrl`, which needs the operator token too).',
  tags: ['Admin'],
  auth: 'admin',
  errors: [40401],
  params: VoucherParams,
  data: Voucher,
  handler: async ({ deps, db, params }) => toVoucher(await findVoucher(db, params.voucherId), deps.publicUrl.get()),
});
