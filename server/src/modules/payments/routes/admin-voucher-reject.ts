import { defineRoute } from '../../../platform/http/route.js';
import { Strict, Text } from '../../../platform/http/schema.js';
import { toVoucher, Voucher, VoucherParams } from '../payments.schemas.js';
import { rejectVoucher } from '../payments.service.js';

export default defineRoute({
  method: 'POST',
  url: '/admin/vouchers/:voucherId/reject',
  operationId: 'adminRejectVoucher',
  summary: 'Reject a payment voucher',
  description: 'Only a `pending` voucher (else 40901). No money moves; the note tells the developer why.',
  tags: ['Admin'],
  auth: 'admin',
  mutation: true,
  errors: [40401, 40901],
  params: VoucherParams,
  body: Strict({ note: Text('Why it is rejected', 200, 'No transfer with this reference arrived', 1) }),
  data: Voucher,
  handler: async ({ deps, db, params, body }) =>
    toVoucher(await rejectVoucher(db, deps, params.voucherId, body.note), deps.publicUrl.get()),
});
