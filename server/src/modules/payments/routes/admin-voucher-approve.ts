import { defineRoute } from '../../../platform/http/route.js';
import { Strict, Text, Type } from '../../../platform/http/schema.js';
import { ApprovedVoucher, toBalance, toTopup, toVoucher, VoucherParams } from '../payments.schemas.js';
import { approveVoucher } from '../payments.service.js';

export default defineRoute({
  method: 'POST',
  url: '/admin/vouchers/:voucherId/approve',
  operationId: 'adminApproveVoucher',
  summary: 'Approve a payment voucher',
  description:
    'Only a `pending` voucher (else 40901). In one transaction: the voucher becomes `approved`, its amount is ' +
    "credited to the developer's balance (a top-up of source `voucher`), and when it names an order the order is " +
    'paid from the balance next, in the background. A voucher is credited once, however often this is called.',
  tags: ['Admin'],
  auth: 'admin',
  mutation: true,
  errors: [40401, 40901],
  params: VoucherParams,
  body: Strict({ note: Type.Optional(Text('Operator note', 200, 'Transfer received on 15 January')) }),
  data: ApprovedVoucher,
  handler: async ({ deps, db, params, body }) => {
    const done = await approveVoucher(db, deps, params.voucherId, body.note);
    return {
      voucher: toVoucher(done.voucher, deps.publicUrl.get()),
      topup: toTopup(done.topup),
      balance: toBalance(done.voucher.develop_id, done.balanceFen, done.topup.created_at),
    };
  },
});
