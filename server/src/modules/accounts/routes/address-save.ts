import { defineRoute } from '../../../platform/http/route.js';
import { Address, AddressInput, MAX_ADDRESSES, saveAddress, toAddress } from '../addresses.js';

export default defineRoute({
  method: 'POST',
  url: '/open/address/addOrUpdate',
  operationId: 'saveAddress',
  summary: 'Add or update an address',
  description:
    'Adds a receiving address to the calling sub-account (`id` 0 or absent), or replaces one of its addresses ' +
    '(`id` of it; another sub-account’s or an unknown id answers 40401). `name`, `province`, `city`, `address` and ' +
    '`phone` are required and may not be empty (40001 names the first missing); phones are 5 to 20 digits, spaces, ' +
    `+ or -. A sub-account has at most ${MAX_ADDRESSES} addresses (40901 beyond). Addresses belong to one ` +
    'sub-account: the main account sees only its own too. Answers the saved address with its `id`.',
  tags: ['Addresses'],
  auth: 'signed',
  mutation: true,
  errors: [40401, 40901],
  body: AddressInput,
  data: Address,
  handler: async ({ deps, db, auth, body }) => toAddress(await saveAddress(deps, db, auth, body)),
});
