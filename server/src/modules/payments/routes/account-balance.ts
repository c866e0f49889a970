import { defineRoute } from '../../../platform/http/route.js';
import { Balance, toBalance } from '../payments.schemas.js';
import { developerBalance } from '../payments.service.js';

export default defineRoute({
  method: 'GET',
  url: '/open/account/balance',
  operationId: 'getAccountBalance',
  summary: "The developer's balance",
  description:
    'The prepaid CNY balance orders are paid from, in fen. It belongs to the developer: every sub-account reads the ' +
    'same balance. It rises with top-ups and approved payment vouchers and never goes below 0.',
  tags: ['Balance'],
  auth: 'signed',
  data: Balance,
  handler: async ({ db, auth }) => {
    const { balanceFen, updateTime } = await developerBalance(db, auth.developId);
    return toBalance(auth.developId, balanceFen, updateTime);
  },
});
