import type { AppDeps } from '../../../platform/deps.js';
import { invalidParameter } from '../../../platform/http/errors.js';
import { defineRoute } from '../../../platform/http/route.js';
import { Type } from '../../../platform/http/schema.js';
import { MarketRejection } from '../../../providers/errors.js';
import type { ImageHit, ImageSearch, SearchPage, SearchSort } from '../../../providers/types.js';
import {
  AlibabaImageItem,
  AlibabaPage,
  answerLanguage,
  parseSort,
  SearchFields,
  toAlibabaImageItem,
  toAlibabaPage,
  toSearchFilters,
} from '../alibaba.schemas.js';
import { pictureBodyLimit, readPicture } from '../image-input.js';

/** With a price or sales `sort`, the closest matches that are ranked by it. */
const SORT_WINDOW = 200;

const ORDER: Record<Exclude<SearchSort, 'relevance'>, (a: ImageHit, b: ImageHit) => number> = {
  price_asc: (a, b) => a.priceFen - b.priceFen,
  price_desc: (a, b) => b.priceFen - a.priceFen,
  sales_desc: (a, b) => b.sales - a.sales,
};

/** The closest goods first; with a sort, the closest `SORT_WINDOW` in that order (ties stay closest first). */
export async function searchByPicture(
  deps: AppDeps,
  query: ImageSearch,
  sort: SearchSort,
): Promise<SearchPage<ImageHit>> {
  if (sort === 'relevance') return deps.market.alibaba.imageSearch(query);
  const window = await deps.market.alibaba.imageSearch({ ...query, page: 1, pageSize: SORT_WINDOW });
  const ranked = [...window.items].sort(ORDER[sort]);
  const start = (query.page - 1) * query.pageSize;
  return {
    total: ranked.length,
    page: query.page,
    pageSize: query.pageSize,
    items: ranked.slice(start, start + query.pageSize),
  };
}

export default defineRoute({
  method: 'POST',
  url: '/alibaba/product/image/query',
  operationId: 'alibabaImageQuery',
  summary: 'Search 1688 goods by picture',
  description:
    'Goods whose main picture looks like the given one, the closest first, each with its `similarity` (0 to 1). ' +
    'Send the picture in `imageBase64` (JPEG, PNG, WebP, GIF or BMP; plain base64 or a `data:` URL) or its public ' +
    '`imageAddress` (http or https; addresses of private networks are refused); when both are given, ' +
    '`imageBase64` is used. The picture may be at most `IMAGE_MAX_BYTES` (4 MiB by default): a larger one answers ' +
    '40001, a body beyond the base64 of that size 41301. The filters are the keyword search’s; with a price or ' +
    `sales \`sort\`, the ${SORT_WINDOW} closest matches are ranked by it. \`region\` is accepted and ignored: the ` +
    'whole picture is searched. Prices in the answer are in fen.',
  tags: ['1688 goods'],
  auth: 'signed',
  errors: [50201, 50401],
  bodyLimit: pictureBodyLimit,
  body: Type.Object(
    {
      imageBase64: Type.Optional(
        Type.Union([Type.String(), Type.Null()], {
          description: 'The picture, base64-encoded (a `data:image/...;base64,` prefix is allowed)',
          examples: ['/9j/4AAQSkZJRgABAQAAAQABAAD...'],
        }),
      ),
      imageAddress: Type.Optional(
        Type.Union([Type.String({ maxLength: 2048 }), Type.Null()], {
          description: 'Public http(s) URL of the picture, used when `imageBase64` is empty',
          examples: ['https://cbu01.alicdn.com/img/ibank/O1CN01vggy3T1mdyaUYC0LL_!!2211085014978-0-cib.jpg'],
        }),
      ),
      region: Type.Optional(
        Type.Union([Type.String({ maxLength: 200 }), Type.Null()], {
          description: 'Area of the picture to search (1688’s subject selection); accepted and ignored',
          examples: [''],
        }),
      ),
      ...SearchFields,
    },
    { additionalProperties: false },
  ),
  data: AlibabaPage(AlibabaImageItem, 'Matching goods, the closest first unless `sort` says otherwise'),
  handler: async ({ deps, body, lang }) => {
    const sort = parseSort(body.sort);
    const filters = toSearchFilters(body);
    const image = await readPicture(deps, deps.market.alibaba, body);
    const query = { image, page: body.beginPage ?? 1, pageSize: body.pageSize ?? 20, ...filters };
    try {
      const page = await searchByPicture(deps, query, sort);
      return toAlibabaPage(page, (hit) => toAlibabaImageItem(hit, answerLanguage(body, lang)));
    } catch (err) {
      // The marketplace reads the picture itself; one it cannot decode is named after the field it came in.
      if (err instanceof MarketRejection && err.reason === 'invalid_value' && err.field === 'image') {
        const field = body.imageBase64?.trim() ? 'imageBase64' : 'imageAddress';
        throw invalidParameter(field, 'marketRefusedPicture', { detail: err.message });
      }
      throw err;
    }
  },
});
