import { defineRoute } from '../../../platform/http/route.js';
import { Balance, DeveloperParams, toBalance } from '../payments.schemas.js';
import { developerBalance } from '../payments.service.js';

export default defineRoute({
  method: 'GET',
  url: '/admin/developers/:developId/balance',
  operationId: 'adminGetBalance',
  summary: "A developer's balance",
  tags: ['Admin'],
  auth: 'admin',
  errors: [40401],
  params: DeveloperParams,
  data: Balance,
  handler: async ({ db, params }) => {
    const { balanceFen, updateTime } = await developerBalance(db, params.developId);
    return toBalance(params.developId, balanceFen, updateTime);
  },
});
