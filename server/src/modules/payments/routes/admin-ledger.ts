import { defineRoute } from '../../../platform/http/route.js';
import { DeveloperParams, LedgerPage, LedgerQuery, toLedgerEntry } from '../payments.schemas.js';
import { developerBalance, ledgerPage } from '../payments.service.js';

export default defineRoute({
  method: 'GET',
  url: '/admin/developers/:developId/ledger',
  operationId: 'adminGetLedger',
  summary: "The movements of a developer's balance",
  description: 'As the developer sees it (`GET /open/account/ledger`): newest first, with the same filters.',
  tags: ['Admin'],
  auth: 'admin',
  errors: [40401],
  params: DeveloperParams,
  query: LedgerQuery,
  data: LedgerPage,
  handler: async ({ db, params, query }) => {
    await developerBalance(db, params.developId); // 40401 for an unknown developer
    const page = await ledgerPage(db, params.developId, query);
    return {
      total: page.total,
      pageNo: page.pageNo,
      pageSize: page.pageSize,
      currency: 'CNY' as const,
      entries: page.rows.map(toLedgerEntry),
    };
  },
});
