import { invalidParameter } from '../../../platform/http/errors.js';
import { defineRoute } from '../../../platform/http/route.js';
import { LanguageField, Type } from '../../../platform/http/schema.js';
import { MarketRejection } from '../../../providers/errors.js';
import { GoodsPageNo, goodsPageSize, Paged, toPaged } from '../goods.schemas.js';
import { pictureBodyLimit, readPicture } from '../image-input.js';
import { TaobaoImageHit, toTaobaoImageHit } from '../taobao.schemas.js';

export default defineRoute({
  method: 'POST',
  url: '/open/product/image/search',
  operationId: 'taobaoImageSearch',
  summary: 'Search Taobao goods by picture',
  description:
    'Goods whose main picture looks like the given one, the closest first, each with its `similarity` (0 to 1). ' +
    'Send the picture in `imageBase64` (JPEG, PNG, WebP, GIF or BMP; plain base64 or a `data:` URL) or its ' +
    'public `imageAddress` (http or https; addresses of private networks are refused); when both are given, ' +
    '`imageBase64` is used. The picture may be at most `IMAGE_MAX_BYTES` (4 MiB by default): a larger one answers ' +
    '40001, a body beyond the base64 of that size 41301. Titles are in Chinese with `titleTrans` in `language`; ' +
    'prices are in fen.',
  tags: ['Taobao goods'],
  auth: 'signed',
  errors: [50201, 50401],
  bodyLimit: pictureBodyLimit,
  body: Type.Object(
    {
      imageBase64: Type.Optional(
        Type.String({
          description: 'The picture, base64-encoded (a `data:image/...;base64,` prefix is allowed)',
          examples: ['/9j/4AAQSkZJRgABAQAAAQABAAD...'],
        }),
      ),
      imageAddress: Type.Optional(
        Type.String({
          maxLength: 2048,
          description: 'Public http(s) URL of the picture, used when `imageBase64` is not given',
          examples: ['https://img.alicdn.com/bao/uploaded/i1/263669477/O1CN01fH0cbf2JsW8fvHFwx_!!263669477.jpg'],
        }),
      ),
      pageNo: GoodsPageNo,
      pageSize: goodsPageSize(40, 20),
      language: LanguageField,
    },
    { additionalProperties: false },
  ),
  data: Paged(TaobaoImageHit, 'Matching goods, the closest first'),
  handler: async ({ deps, body, lang }) => {
    const image = await readPicture(deps, deps.market.taobao, body);
    const field = body.imageBase64?.trim() ? 'imageBase64' : 'imageAddress';
    try {
      const page = await deps.market.taobao.imageSearch({
        image,
        page: body.pageNo ?? 1,
        pageSize: body.pageSize ?? 20,
      });
      return toPaged(page, (hit) => toTaobaoImageHit(hit, lang));
    } catch (err) {
      // The marketplace reads the picture itself; one it cannot decode is named after the field it came in.
      if (err instanceof MarketRejection && err.reason === 'invalid_value' && err.field === 'image') {
        throw invalidParameter(field, 'marketRefusedPicture', { detail: err.message });
      }
      throw err;
    }
  },
});
