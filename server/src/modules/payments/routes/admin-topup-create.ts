import { defineRoute } from '../../../platform/http/route.js';
import { DeveloperParams, TopupInput, TopupResult, toBalance, toTopup } from '../payments.schemas.js';
import { topUp } from '../payments.service.js';

export default defineRoute({
  method: 'POST',
  url: '/admin/developers/:developId/topups',
  operationId: 'adminCreateTopup',
  summary: "Credit a developer's balance",
  description:
    'Records money the operator received (a bank transfer, with its reference) and credits it to the balance, in ' +
    'one transaction with its ledger entries. Send an `Idempotency-Key`: a retry with the same key and body ' +
    'answers the first reply and credits nothing more.',
  tags: ['Admin'],
  auth: 'admin',
  mutation: true,
  errors: [40401],
  params: DeveloperParams,
  body: TopupInput,
  data: TopupResult,
  handler: async ({ deps, db, params, body }) => {
    const done = await topUp(db, deps, params.developId, {
      amountFen: body.amount,
      reference: body.reference,
      note: body.note,
    });
    return {
      topup: toTopup(done.topup),
      transactionId: done.transactionId,
      balance: toBalance(params.developId, done.balanceFen, done.topup.created_at),
    };
  },
});
