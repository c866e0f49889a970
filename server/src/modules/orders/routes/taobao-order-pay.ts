import { defineRoute } from '../../../platform/http/route.js';
import { LanguageField, Type } from '../../../platform/http/schema.js';
import { OpaqueId } from '../../../platform/http/v2/annotations.js';
import { type PayResult, payOrder } from '../orders.service.js';
import { Fen, OrderIdField, TaobaoOrder, toTaobaoOrder } from '../taobao.schemas.js';

export default defineRoute({
  method: 'POST',
  url: '/open/order/pay',
  operationId: 'taobaoPayOrder',
  summary: 'Pay a Taobao order from the balance',
  description:
    'Debits the order’s total from the developer’s balance (42201 when it does not cover it; nothing changes) and ' +
    'pays each seller. Paying an order already paid answers it again with `alreadyPaid: true` and debits nothing. ' +
    'When a seller changed the price since you last read the order, the debit is returned and the answer is 42203: ' +
    'read the order again (a price message was sent) and pay the new total. When the marketplace does not answer ' +
    'in time the answer is 50401/50402 and the payment completes in the background (`payStatus` `PAYING`, then a ' +
    'status message).',
  tags: ['Taobao orders'],
  auth: 'signed',
  mutation: true,
  ownTransactions: true,
  errors: [40401, 40901, 42201, 42203, 50201, 50401, 50402],
  body: Type.Object({ orderId: OrderIdField, language: LanguageField }, { additionalProperties: false }),
  data: Type.Object({
    orderId: OpaqueId('order', Type.String({ description: 'The order paid', examples: ['1795432287562383360'] })),
    payStatus: Type.Union([Type.Literal('PAID'), Type.Literal('PAYING')], {
      description: '`PAID`, or `PAYING` while the marketplace has not confirmed every seller’s payment',
      examples: ['PAID'],
    }),
    paidAmount: Fen('Debited for this order', 1378),
    balance: Fen('The developer’s balance after the payment', 8622),
    alreadyPaid: Type.Boolean({ description: 'True when the order was paid before this request (nothing debited)' }),
    order: TaobaoOrder,
  }),
  handler: async ({ deps, auth, body, lang, answerIn }) => {
    const answer = ({ outcome, aggregate, balanceFen }: PayResult) => ({
      orderId: aggregate.order.id,
      payStatus: outcome.kind === 'paid' ? ('PAID' as const) : ('PAYING' as const),
      paidAmount: aggregate.order.paid_fen,
      balance: balanceFen,
      alreadyPaid: outcome.kind === 'paid' && outcome.alreadyPaid,
      order: toTaobaoOrder(aggregate, lang),
    });
    // A payment every seller accepted is answered (and its reply stored) in the transaction recording it.
    let answered: ReturnType<typeof answer> | undefined;
    const result = await payOrder(deps, auth, 'taobao', body.orderId, { kind: 'balance' }, async (trx, paid) => {
      answered = answer(paid);
      await answerIn(trx, answered);
    });
    return answered ?? answer(result);
  },
});
