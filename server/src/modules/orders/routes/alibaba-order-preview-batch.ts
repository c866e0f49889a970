import { defineRoute } from '../../../platform/http/route.js';
import { LanguageField, Type } from '../../../platform/http/schema.js';
import { AlibabaOrderPreview, toAlibabaPreview } from '../../carts/index.js';
import { AddressParam, SellerCargo } from '../alibaba.schemas.js';
import { previewOffers } from '../alibaba-previews.js';

export default defineRoute({
  method: 'POST',
  url: '/alibaba/order/create/previewbatch',
  operationId: 'alibabaOrderPreviewBatch',
  summary: 'Preview 1688 orders of several suppliers',
  description:
    'What creating these orders (`/alibaba/order/batch/create`) would cost today: one `orderPreviewResuslt` ' +
    '(sic) per supplier, with its totals and lines (`cargoList`) in fen. A line that cannot be ordered carries ' +
    'its `problem` (`delisted`, `out_of_stock`, `below_min_quantity`: under the offer’s minimum order quantity, ' +
    '`not_found`: no such specification), sets its supplier’s `status` to false and counts in no amount; ' +
    '`success` says whether every line can be ordered. Lines are grouped by the offer’s actual supplier. An ' +
    'offer that does not exist answers 40401.',
  tags: ['1688 orders'],
  auth: 'signed',
  errors: [40401, 50201, 50401],
  body: Type.Object(
    {
      addressParam: Type.Optional(
        Type.Union([AddressParam, Type.Null()], {
          description: 'Where the order would be delivered (optional; 1688 `FastAdress`)',
        }),
      ),
      cargoParamList: Type.Array(SellerCargo, {
        minItems: 1,
        maxItems: 200,
        description: 'What to buy: 1 to 200 lines, of one or several suppliers',
      }),
      language: LanguageField,
    },
    { additionalProperties: false },
  ),
  data: AlibabaOrderPreview,
  handler: async ({ deps, auth, body, lang }) =>
    toAlibabaPreview(await previewOffers(deps, auth, body.cargoParamList, body.addressParam), lang),
});
