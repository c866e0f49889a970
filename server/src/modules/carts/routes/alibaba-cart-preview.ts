import { defineRoute } from '../../../platform/http/route.js';
import { LanguageField, Type } from '../../../platform/http/schema.js';
import { CountryField } from '../alibaba-cart.schemas.js';
import { previewAlibaba } from '../alibaba-cart.service.js';
import { AddressParam, AlibabaOrderPreview } from '../alibaba-preview.js';
import { CartIds, nullable } from '../carts.schemas.js';

export default defineRoute({
  method: 'POST',
  url: '/alibaba/cart/preview/order',
  operationId: 'alibabaCartPreviewOrder',
  summary: 'Preview an order of 1688 cart items',
  description:
    'What ordering the cart items would cost today, from the market, in 1688’s preview structure: one ' +
    '`orderPreviewResuslt` (sic) per supplier with its totals and lines (`cargoList`), in fen. A line that cannot ' +
    'be ordered (`not_found`, `delisted`, `out_of_stock`, `below_min_quantity`: under the offer’s minimum order ' +
    'quantity) carries its `problem`, sets its supplier’s `status` to false and counts in no amount; `success` ' +
    'says whether every line can be ordered. An id that is not one of the calling sub-account’s items answers ' +
    '40401.',
  tags: ['1688 cart'],
  auth: 'signed',
  errors: [40401, 50201, 50401],
  body: Type.Object(
    {
      cartIds: CartIds('The cart items to preview'),
      addressParam: nullable(AddressParam, 'Where the order would be delivered (optional)'),
      country: CountryField,
      language: LanguageField,
    },
    { additionalProperties: false },
  ),
  data: AlibabaOrderPreview,
  handler: ({ deps, db, auth, body, lang }) => previewAlibaba(deps, db, auth, body, lang),
});
