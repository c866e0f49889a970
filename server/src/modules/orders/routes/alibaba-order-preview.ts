import { invalidParameter } from '../../../platform/http/errors.js';
import { defineRoute } from '../../../platform/http/route.js';
import { LanguageField, Type } from '../../../platform/http/schema.js';
import { AlibabaOrderPreview, toAlibabaPreview } from '../../carts/index.js';
import { AddressParam, Cargo } from '../alibaba.schemas.js';
import { previewOffers } from '../alibaba-previews.js';

export default defineRoute({
  method: 'POST',
  url: '/alibaba/order/create/preview',
  operationId: 'alibabaOrderPreview',
  summary: 'Preview a 1688 order',
  description:
    'What creating this order (`/alibaba/order/create`) would cost today, from the market, in 1688’s preview ' +
    'structure: `orderPreviewResuslt` (sic) with the totals and lines (`cargoList`), in fen. A line that cannot ' +
    'be ordered carries its `problem` (`delisted`, `out_of_stock`, `below_min_quantity`: under the offer’s ' +
    'minimum order quantity, `not_found`: no such specification) and counts in no amount; `success` says ' +
    'whether every line can be ordered, `errorCode` and `errorMsg` give the first problem. An offer that does ' +
    'not exist answers 40401; lines of several suppliers answer 40001 (use `/alibaba/order/create/previewbatch`).',
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
      cargoParamList: Type.Array(Cargo, { minItems: 1, maxItems: 50, description: 'What to buy: 1 to 50 lines' }),
      language: LanguageField,
    },
    { additionalProperties: false },
  ),
  data: AlibabaOrderPreview,
  handler: async ({ deps, auth, body, lang }) => {
    const preview = await previewOffers(deps, auth, body.cargoParamList, body.addressParam);
    if (preview.groups.length > 1) throw invalidParameter('cargoParamList', 'oneSellerPerOrder');
    return toAlibabaPreview(preview, lang);
  },
});
