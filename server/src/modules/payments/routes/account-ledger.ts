import { ApiError } from '../../../platform/http/errors.js';
import { defineRoute } from '../../../platform/http/route.js';
import { LedgerPage, LedgerQuery, toLedgerEntry } from '../payments.schemas.js';
import { ledgerPage } from '../payments.service.js';

export default defineRoute({
  method: 'GET',
  url: '/open/account/ledger',
  operationId: 'getAccountLedger',
  summary: "The movements of the developer's balance",
  description:
    'Every credit and debit of the balance, newest first, each with the balance after it and the order, payment ' +
    'voucher or top-up it belongs to. Filter by `kind` and by time (`startTime`, `endTime`, epoch ms, inclusive). ' +
    'The ledger shows the orders of every sub-account, so only the main account may read it (40301).',
  tags: ['Balance'],
  auth: 'signed',
  query: LedgerQuery,
  data: LedgerPage,
  handler: async ({ db, auth, query }) => {
    if (!auth.isMainAccount) throw new ApiError(40301);
    const page = await ledgerPage(db, auth.developId, query);
    return {
      total: page.total,
      pageNo: page.pageNo,
      pageSize: page.pageSize,
      currency: 'CNY' as const,
      entries: page.rows.map(toLedgerEntry),
    };
  },
});
