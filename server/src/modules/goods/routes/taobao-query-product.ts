import { invalidParameter, notFound } from '../../../platform/http/errors.js';
import { defineRoute } from '../../../platform/http/route.js';
import { LanguageField, Type } from '../../../platform/http/schema.js';
import { OpaqueId } from '../../../platform/http/v2/annotations.js';
import { cachedProduct } from '../goods.cache.js';
import { TaobaoProduct, toTaobaoProduct } from '../taobao.schemas.js';

const MATCHED_BY = ['itemId', 'url', 'shareText', 'mpId'] as const;
type MatchedBy = (typeof MATCHED_BY)[number];

/** Links in free text, with or without a scheme; CJK punctuation of share texts ends them. */
const LINK = /(?:https?:\/\/)?(?:[a-z0-9-]+\.)+[a-z]{2,}(?::\d+)?(?:\/[^\s<>"'「」【】，。、；！？（）]*)?/gi;
const TAOBAO_HOST = /(?:^|\.)(?:taobao\.com|tmall\.com|tmall\.hk|taobao\.hk|tb\.cn)$/;
/** Short links redirect through Taobao's servers to the item; they cannot be read without asking Taobao. */
const SHORT_LINK_HOST = /(?:^|\.)tb\.cn$/;
const DIGITS = /^[0-9]+$/;
const ID = /^[0-9]{1,20}$/;

type Resolved = { kind: 'digits'; value: string } | { kind: 'item'; itemId: string; matchedBy: 'url' | 'shareText' };

function parseLink(text: string): URL | null {
  const trimmed = text.replace(/[.,;:!?)\]'’”]+$/u, '');
  try {
    return new URL(/^https?:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`);
  } catch {
    return null;
  }
}

/** The item id a Taobao or Tmall item page URL names: `?id=`, `?itemId=`, or the old mobile `/i{id}.htm`. */
function itemIdOf(url: URL): string | null {
  for (const name of ['id', 'itemId', 'item_id']) {
    const value = url.searchParams.get(name);
    if (value && ID.test(value)) return value;
  }
  const old = /\/i([0-9]{1,20})\.htm/.exec(url.pathname);
  return old?.[1] ?? null;
}

/** What `query` names: digits (an item id or an mpId), or the item of a link; 40001 when nothing usable. */
export function resolveQuery(query: string): Resolved {
  const text = query.trim();
  if (DIGITS.test(text)) {
    if (!ID.test(text)) throw invalidParameter('query', 'queryTooManyDigits');
    return { kind: 'digits', value: text };
  }
  let shortLink = false;
  let otherLink = false;
  for (const match of text.matchAll(LINK)) {
    const url = parseLink(match[0]);
    if (!url) continue;
    const host = url.hostname.toLowerCase();
    if (!TAOBAO_HOST.test(host)) {
      otherLink ||= /^https?:\/\//i.test(match[0]);
      continue;
    }
    const itemId = itemIdOf(url);
    if (itemId) return { kind: 'item', itemId, matchedBy: match[0] === text ? 'url' : 'shareText' };
    if (SHORT_LINK_HOST.test(host)) shortLink = true;
  }
  if (shortLink) {
    throw invalidParameter('query', 'shortLinkUnsupported');
  }
  if (otherLink) throw invalidParameter('query', 'notTaobaoLink');
  throw invalidParameter('query', 'noTaobaoItem');
}

export default defineRoute({
  method: 'GET',
  url: '/open/product/query',
  operationId: 'taobaoQueryProduct',
  summary: 'Taobao commodity inquiry: resolve an item from a link, share text, item id or mpId',
  description:
    'Finds the item a buyer shared and answers it as `GET /open/product/get` does, with `matchedBy` saying how ' +
    '`query` was read. `query` may be an item page URL (`https://item.taobao.com/item.htm?id=…`, ' +
    '`https://detail.tmall.com/item.htm?id=…`, mobile pages with `id=`), the share text of the Taobao app ' +
    'holding such a URL (`【淘宝】https://item.taobao.com/item.htm?id=… 「title」`), a bare item id, or a ' +
    'distribution id (`mpId`; digits are tried as an item id first). Short links (`https://m.tb.cn/…`) and ' +
    'Taobao passwords (淘口令) cannot be resolved and answer 40001. Details are cached like those of ' +
    '`GET /open/product/get`. On v2, `query` may also be an item’s opaque id (its `itemId` there), read as ' +
    'the item id; text of that shape that is no item’s opaque id answers 40401, and so does an opaque `mpId` ' +
    '(send the item’s `itemId` instead).',
  tags: ['Taobao goods'],
  auth: 'signed',
  errors: [40401, 50201, 50401],
  query: Type.Object(
    {
      // Free text, but an opaque id in it can only be an item's: v2 reads such a query as the item id.
      query: OpaqueId(
        'taobao-item',
        Type.String({
          minLength: 1,
          maxLength: 2048,
          description: 'Item URL, share text holding an item URL, item id, or mpId',
          examples: ['https://item.taobao.com/item.htm?id=672991141190'],
        }),
      ),
      language: LanguageField,
    },
    { additionalProperties: false },
  ),
  data: Type.Object({
    ...TaobaoProduct.properties,
    matchedBy: Type.Enum(MATCHED_BY, {
      description:
        'How `query` was read: `url` (an item URL), `shareText` (a URL inside text), `itemId` or `mpId` (digits)',
    }),
  }),
  handler: async ({ deps, query, lang }) => {
    const resolved = resolveQuery(query.query);
    const answer = (product: Parameters<typeof toTaobaoProduct>[0], matchedBy: MatchedBy) => ({
      ...toTaobaoProduct(product, lang),
      matchedBy,
    });
    if (resolved.kind === 'item') {
      const product = await cachedProduct(deps, 'taobao', resolved.itemId);
      if (!product) throw notFound('item', resolved.itemId);
      return answer(product, resolved.matchedBy);
    }
    const byItemId = await cachedProduct(deps, 'taobao', resolved.value);
    if (byItemId) return answer(byItemId, 'itemId');
    const byMpId = await deps.market.taobao.getProductByMpId(resolved.value);
    if (byMpId) return answer(byMpId, 'mpId');
    throw notFound('itemOrMpId', resolved.value);
  },
});
