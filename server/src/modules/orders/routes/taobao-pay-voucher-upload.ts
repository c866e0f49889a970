import { ApiError, invalidParameter, notFound } from '../../../platform/http/errors.js';
import { phrase } from '../../../platform/http/reasons.js';
import { defineRoute } from '../../../platform/http/route.js';
import { EpochMs, Id, Int, Strict, Text, Type } from '../../../platform/http/schema.js';
import { OpaqueId } from '../../../platform/http/v2/annotations.js';
import { createVoucher, readVoucherPicture, voucherBodyLimit } from '../../payments/index.js';
import { findOwnOrder } from '../orders.repo.js';

const MAX_AMOUNT_FEN = 100_000_000;

export default defineRoute({
  method: 'POST',
  url: '/open/order/pay/voucher/upload',
  operationId: 'taobaoUploadPayVoucher',
  summary: 'Upload the payment voucher of an order',
  description:
    'Proof of a bank transfer that pays an unpaid Taobao order: the amount (at least the order total), the ' +
    "transfer's reference and a picture of the receipt. The operator reviews it: once approved, the amount is " +
    'credited to the balance and the order is paid from it. The picture is checked by its content: JPEG, PNG, ' +
    'WebP or GIF, at most 5 MB and 8000×8000 pixels.',
  tags: ['Taobao orders'],
  auth: 'signed',
  mutation: true,
  errors: [40401, 40901],
  bodyLimit: voucherBodyLimit,
  body: Strict({
    orderId: OpaqueId('order', Text('The Taobao order it pays', 64, '1795432287562383360', 1)),
    amount: Int('Amount transferred, in fen; at least the order total', 1, MAX_AMOUNT_FEN, 15800),
    reference: Text('The bank or transfer reference', 64, '20260115-ICBC-0042', 1),
    picture: Text(
      'The picture of the transfer receipt, base64 (a `data:image/...;base64,` prefix is allowed)',
      8_000_000,
      'data:image/png;base64,iVBORw0KGgo...',
      1,
    ),
    note: Type.Optional(Text('Your note for the operator', 200, 'Paid from the Hanoi account')),
  }),
  data: Type.Object({
    voucherId: Id('Id of the payment voucher'),
    orderId: OpaqueId('order', Id('The order it pays')),
    amount: Int('Amount transferred, in fen', 1, MAX_AMOUNT_FEN, 15800),
    status: Type.Literal('pending', { description: 'Always `pending`: the operator reviews it' }),
    createTime: EpochMs('When it was uploaded'),
  }),
  handler: async ({ deps, db, auth, body }) => {
    // The picture first: a bad picture is refused whatever the order.
    const picture = await readVoucherPicture(body.picture, 'picture');
    const order = await findOwnOrder(db, auth, 'taobao', body.orderId);
    if (!order) throw notFound('order', body.orderId);
    if (order.pay_state !== 'unpaid' || order.status !== 'WAIT_BUYER_PAY') {
      throw new ApiError(40901, { reason: phrase('orderNotAwaitingPayment') });
    }
    const total = Number(order.total_fen);
    if (body.amount < total) throw invalidParameter('amount', 'amountBelowOrderTotal', { total });
    const voucher = await createVoucher(db, deps, {
      developId: auth.developId,
      userId: auth.userId,
      orderId: order.id,
      amountFen: body.amount,
      reference: body.reference,
      note: body.note,
      picture,
    });
    return {
      voucherId: voucher.id,
      orderId: order.id,
      amount: Number(voucher.amount_fen),
      status: 'pending' as const,
      createTime: Number(voucher.created_at),
    };
  },
});
