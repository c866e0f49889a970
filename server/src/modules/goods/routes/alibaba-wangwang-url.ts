import { notFound } from '../../../platform/http/errors.js';
import { defineRoute } from '../../../platform/http/route.js';
import { Type } from '../../../platform/http/schema.js';
import { SellerOpenId } from '../alibaba.schemas.js';

export default defineRoute({
  method: 'POST',
  url: '/alibaba/product/wangwang/url',
  operationId: 'alibabaWangwangUrl',
  summary: 'Convert a 1688 seller id to its Wangwang chat link',
  description:
    'Decodes a supplier’s `sellerOpenId` into its Wangwang (AliIM) nickname and the URL that opens a chat with ' +
    'the supplier. An unknown `sellerOpenId` answers 40401.',
  tags: ['1688 goods'],
  auth: 'signed',
  errors: [40401, 50201, 50401],
  body: Type.Object({ sellerOpenId: SellerOpenId }, { additionalProperties: false }),
  data: Type.Object({
    sellerOpenId: Type.String({ description: 'The supplier’s open id, as asked' }),
    wangwangNick: Type.String({ description: 'The supplier’s Wangwang nickname' }),
    url: Type.String({ description: 'Opens a Wangwang chat with the supplier' }),
  }),
  handler: async ({ deps, body }) => {
    const [supplier, url] = await Promise.all([
      deps.market.alibaba.getSupplier(body.sellerOpenId),
      deps.market.alibaba.wangwangUrl(body.sellerOpenId),
    ]);
    if (!supplier || !url) throw notFound('seller', body.sellerOpenId);
    return { sellerOpenId: body.sellerOpenId, wangwangNick: supplier.userNick, url };
  },
});
