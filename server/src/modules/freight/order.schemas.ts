import { Text, Type } from '../../platform/http/schema.js';

/** Pieces of W2's and W4's requests (the contract's objects as a reseller's system sends them). */

/** The contract's `freightInfo` as a line asks for it: an empty `serviceId` asks for no channel in particular. */
export const FreightInfoAsked = Type.Object(
  {
    serviceId: Text('The channel (`serviceId` of the rate cards); empty for none in particular', 32, '1'),
    companyName: Type.Optional(Text('The channel’s name (not read)', 200, '')),
    serviceCategory: Type.Optional(Text('The channel’s category (not read)', 40, '')),
  },
  { description: 'The channel asked for (`FreightInfoTO`)' },
);

export const Currency = Type.Optional(Text('Currency of `price`', 8, 'CNY'));

export const UnitPrice = Type.Optional(
  Type.Union([Text('Unit price, as text', 20, '68.00'), Type.Number()], {
    description: 'Unit price (kept for the record)',
  }),
);
