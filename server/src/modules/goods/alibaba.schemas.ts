import type { AppDeps } from '../../platform/deps.js';
import { invalidParameter } from '../../platform/http/errors.js';
import type { Language } from '../../platform/http/i18n.js';
import { Int, type Static, type TSchema, Type } from '../../platform/http/schema.js';
import { OpaqueId } from '../../platform/http/v2/annotations.js';
import type {
  ImageHit,
  KeywordSearch,
  MarketingList,
  ProductSummary,
  SearchFilters,
  SearchPage,
  SearchSort,
} from '../../providers/types.js';

/**
 * What the 1688 goods and marketing endpoints share: the request fields of 1688's searches
 * (`country`, `filter`, `sort`, yuan price bounds, 1688 paging), their reading into the provider's
 * terms, and the answers in 1688's words (`offerId`, `subject`, `totalRecords`...).
 */

// ---------------------------------------------------------------------------------------------
// Language

const languageUnion = (description: string) =>
  Type.Enum(['en', 'zh', 'vi', 'th', 'es'], { description, examples: ['en'] });

/** 1688's `country`: despite its name, the language of the translated (`…Trans`) fields. */
export const CountryField = Type.Optional(
  languageUnion(
    'Language of the translated (`…Trans`) fields: `en`, `zh`, `vi`, `th` or `es` (1688 names it `country`). ' +
      'Default: the request language (`Accept-Language`, then `en`)',
  ),
);

/** `language`, where an endpoint takes it beside `country`. */
export const LanguageOrCountryField = Type.Optional(
  languageUnion(
    'Language of the translated (`…Trans`) fields and of `msg`: `en`, `zh`, `vi`, `th` or `es`. Wins over ' +
      '`country` when both are given. Default: `country`, then `Accept-Language`, then `en`',
  ),
);

/** The language of the answer: `language`, then `country`, then the request's language. */
export function answerLanguage(body: { language?: Language; country?: Language }, lang: Language): Language {
  return body.language ?? body.country ?? lang;
}

// ---------------------------------------------------------------------------------------------
// Request fields

const nullable = <T extends TSchema>(schema: T, description: string, example: unknown) =>
  Type.Optional(Type.Union([schema, Type.Null()], { description, examples: [example] }));

/** A 1688 offer id: an integer, or the same digits in a string (on v2 also its opaque id). */
export const OfferId = (description: string, example = '706627393257') =>
  OpaqueId(
    'alibaba-offer',
    Type.String({
      pattern: '^[0-9]{1,20}$',
      minLength: 1,
      maxLength: 20,
      description: `${description} (an integer, or its digits in a string)`,
      examples: [example],
    }),
  );

/** A supplier's opaque id on the open platform. */
export const SellerOpenId = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z0-9_-]+$',
  description: 'The supplier’s open id, as goods and orders give it (`sellerOpenId`)',
  examples: ['BBBwAN4GQ60zRPzBkv7BYPJRQ'],
});

/** A category id filter: digits (a JSON integer is read as its digits), or empty for none. */
export const CategoryFilter = nullable(
  Type.String({ pattern: '^([0-9]{1,20})?$', maxLength: 20 }),
  'Only goods of this category: a leaf, or a top-level category with all its leaves (see ' +
    '`/alibaba/category/get`). Empty, `0` or null: every category. An unknown id answers 40001',
  '103001',
);

const YuanPrice = (description: string, example: string) =>
  nullable(
    Type.String({ pattern: '^([0-9]{1,10}(\\.[0-9]{1,2})?)?$', maxLength: 13 }),
    `${description}, in yuan with at most two decimals, as a string (\`"633.69"\`), compared with the ` +
      'lowest wholesale price; empty or null: no bound',
    example,
  );

/** Flags of `filter` that narrow the results, and those accepted without effect. */
const FILTER_FLAGS = { shipInToday: 'shipIn24h' } as const;
const ACCEPTED_FLAGS = ['ksCiphertext'] as const;

/** Paging, language and filters of every 1688 goods list, as 1688 names them. */
export const SearchFields = {
  beginPage: Type.Optional(Int('Page number, from 1 (default 1)', 1, 100_000, 1)),
  pageSize: Type.Optional(Int('Results per page, 1 to 50 (default 20)', 1, 50, 20)),
  country: CountryField,
  filter: nullable(
    Type.String({ maxLength: 500 }),
    'Comma-separated flags: `shipInToday` keeps goods shipped within 24 hours of payment; `ksCiphertext` ' +
      '(in PandaPon’s examples) is accepted and changes nothing. Another flag answers 40001 naming `filter`',
    'shipInToday,ksCiphertext',
  ),
  sort: Type.Optional(
    Type.Union([Type.String({ maxLength: 200 }), Type.Object({}), Type.Null()], {
      description:
        'Order of the results, as a JSON string (or object) with one key: `{"price":"asc"}` or ' +
        '`{"price":"desc"}` (lowest wholesale price), `{"sales":"desc"}` (units sold; `monthSold` is a synonym). ' +
        'Empty, `{}` or null: by relevance',
      examples: ['{"price":"asc"}'],
    }),
  ),
  outMemberId: nullable(
    Type.String({ maxLength: 64 }),
    'Your own id for the end buyer, as 1688 takes it for its reports; it does not change the results',
    '21000070000',
  ),
  priceStart: YuanPrice('Lowest price to include', '633.69'),
  priceEnd: YuanPrice('Highest price to include', '647.60'),
  categoryId: CategoryFilter,
};

type SearchFieldValues = {
  filter?: string | null;
  sort?: string | object | null;
  priceStart?: string | null;
  priceEnd?: string | null;
  categoryId?: string | null;
};

export const KeywordField = Type.Optional(
  Type.Union([Type.String({ maxLength: 200 }), Type.Null()], {
    description:
      'Words to look for in titles, in any supported language (Chinese, English, Vietnamese, Thai, Spanish). ' +
      'Empty, omitted or null: every good that passes the filters',
    examples: ['跑步鞋'],
  }),
);

// ---------------------------------------------------------------------------------------------
// Reading the fields

const SORTS: Record<string, Partial<Record<'asc' | 'desc', SearchSort>>> = {
  price: { asc: 'price_asc', desc: 'price_desc' },
  sales: { desc: 'sales_desc' },
  monthSold: { desc: 'sales_desc' },
};

/** `{"price":"asc"}` (a JSON string or the object) to the provider's sort; 40001 naming `sort` otherwise. */
export function parseSort(value: SearchFieldValues['sort']): SearchSort {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return 'relevance';
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw invalidParameter('sort', 'sortNotJson');
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalidParameter('sort', 'sortNotObject');
  }
  const entries = Object.entries(parsed);
  if (entries.length === 0) return 'relevance';
  const [key, direction] = entries[0] as [string, unknown];
  if (entries.length > 1) throw invalidParameter('sort', 'sortOneKey');
  const options = SORTS[key];
  if (!options) throw invalidParameter('sort', 'sortUnknownKey', { key });
  const sort = typeof direction === 'string' ? options[direction.toLowerCase() as 'asc' | 'desc'] : undefined;
  if (!sort) {
    const [first = '', second] = Object.keys(options);
    throw second === undefined
      ? invalidParameter('sort', 'sortTakesOne', { key, direction: first })
      : invalidParameter('sort', 'sortTakesEither', { key, first, second });
  }
  return sort;
}

/** The `filter` flags; unknown flags answer 40001 naming `filter`. */
export function parseFilter(value: string | null | undefined): { shipIn24h?: boolean } {
  const out: { shipIn24h?: boolean } = {};
  for (const raw of (value ?? '').split(',')) {
    const flag = raw.trim();
    if (!flag) continue;
    const known = Object.keys(FILTER_FLAGS).find((k) => k.toLowerCase() === flag.toLowerCase());
    if (known) out[FILTER_FLAGS[known as keyof typeof FILTER_FLAGS]] = true;
    else if (!ACCEPTED_FLAGS.some((k) => k.toLowerCase() === flag.toLowerCase())) {
      throw invalidParameter('filter', 'unknownFilterFlag', { flag });
    }
  }
  return out;
}

/** `"633.69"` yuan to 63369 fen; empty or null is no bound (the schema checked the digits). */
export function yuanToFen(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const [yuan = '0', cents = ''] = value.split('.');
  return Number(yuan) * 100 + Number(cents.padEnd(2, '0'));
}

/** The provider's filters for a 1688 search: price bounds in fen, category, `shipInToday`. */
export function toSearchFilters(body: SearchFieldValues): SearchFilters {
  const priceMinFen = yuanToFen(body.priceStart);
  const priceMaxFen = yuanToFen(body.priceEnd);
  if (priceMinFen !== undefined && priceMaxFen !== undefined && priceMinFen > priceMaxFen) {
    throw invalidParameter('priceEnd', 'priceEndBelowStart');
  }
  const categoryId = body.categoryId && body.categoryId !== '0' ? body.categoryId : undefined;
  return {
    ...(priceMinFen === undefined ? {} : { priceMinFen }),
    ...(priceMaxFen === undefined ? {} : { priceMaxFen }),
    ...(categoryId === undefined ? {} : { categoryId }),
    ...parseFilter(body.filter),
  };
}

// ---------------------------------------------------------------------------------------------
// Answers

const Fen = (description: string) => Int(`${description} (fen)`, 0, Number.MAX_SAFE_INTEGER);

/** One good of a 1688 list. */
export const AlibabaItem = Type.Object({
  offerId: OpaqueId('alibaba-offer', Int('1688 offer id', 1, Number.MAX_SAFE_INTEGER)),
  subject: Type.String({ description: 'Title, original Chinese' }),
  subjectTrans: Type.String({ description: 'Title in the requested language' }),
  imageUrl: Type.String({ description: 'Main picture' }),
  priceInfo: Type.Object({ price: Fen('Lowest wholesale price over the specifications') }, { description: 'Prices' }),
  monthSold: Int('Units sold recently', 0, Number.MAX_SAFE_INTEGER),
  minOrderQuantity: Int('Fewest units one order may take', 1, 1_000_000),
  sellerOpenId: Type.Union([Type.String(), Type.Null()], {
    description: 'The supplier’s open id (for `/alibaba/product/query/selleroffer` and the Wangwang link)',
  }),
  categoryId: Int('Leaf category id', 0, Number.MAX_SAFE_INTEGER),
  strictSelection: Type.Boolean({ description: '1688 strict selection (严选): quality-checked supplier goods' }),
  shipInToday: Type.Boolean({ description: 'Ships within 24 hours of payment' }),
});

export function toAlibabaItem(s: ProductSummary, lang: Language): Static<typeof AlibabaItem> {
  return {
    offerId: Number(s.productId),
    subject: s.title.zh,
    subjectTrans: s.title[lang],
    imageUrl: s.mainImageUrl,
    priceInfo: { price: s.priceFen },
    monthSold: s.sales,
    minOrderQuantity: s.minOrderQuantity,
    sellerOpenId: s.sellerOpenId,
    categoryId: Number(s.categoryId),
    strictSelection: s.strictSelection,
    shipInToday: s.shipIn24h,
  };
}

/** One hit of a picture search: a list good and how closely its picture matches. */
export const AlibabaImageItem = Type.Object({
  ...AlibabaItem.properties,
  similarity: Type.Number({
    minimum: 0,
    maximum: 1,
    description: 'How closely the good’s main picture matches, 0 to 1 (1: the same picture)',
  }),
});

export function toAlibabaImageItem(hit: ImageHit, lang: Language): Static<typeof AlibabaImageItem> {
  return { ...toAlibabaItem(hit, lang), similarity: Math.round(hit.similarity * 10_000) / 10_000 };
}

/** A page of a 1688 list, in 1688's paging words. */
export function AlibabaPage<T extends TSchema>(item: T, description: string) {
  return Type.Object({
    totalRecords: Int('Number of results over all pages', 0, Number.MAX_SAFE_INTEGER),
    totalPage: Int('Number of pages of `pageSize` results', 0, Number.MAX_SAFE_INTEGER),
    pageSize: Int('Results per page asked for; the last page may hold fewer', 1, 50),
    currentPage: Int('This page, from 1', 1, 100_000),
    data: Type.Array(item, { description }),
  });
}

export function toAlibabaPage<S, T>(page: SearchPage<S>, map: (item: S, position: number) => T) {
  return {
    totalRecords: page.total,
    totalPage: Math.ceil(page.total / page.pageSize),
    pageSize: page.pageSize,
    currentPage: page.page,
    data: page.items.map((item, i) => map(item, (page.page - 1) * page.pageSize + i + 1)),
  };
}

// ---------------------------------------------------------------------------------------------
// Use cases several endpoints share

/** A keyword search's fields in the provider's terms; a malformed field answers 40001 naming it. */
export function readSearch(
  body: SearchFieldValues & { keyword?: string | null; beginPage?: number; pageSize?: number },
): KeywordSearch {
  return {
    keyword: body.keyword?.trim() ?? '',
    sort: parseSort(body.sort),
    page: body.beginPage ?? 1,
    pageSize: body.pageSize ?? 20,
    ...toSearchFilters(body),
  };
}

/** One page of a keyword search over 1688 goods. */
export async function searchOffers(deps: AppDeps, query: KeywordSearch, lang: Language) {
  const page = await deps.market.alibaba.search(query);
  return toAlibabaPage(page, (item) => toAlibabaItem(item, lang));
}

/** The request of the marketing lists: the keyword search's, without `sort` (each list has its order). */
export const MarketingBody = Type.Object(
  {
    keyword: KeywordField,
    beginPage: SearchFields.beginPage,
    pageSize: SearchFields.pageSize,
    country: SearchFields.country,
    filter: SearchFields.filter,
    outMemberId: SearchFields.outMemberId,
    priceStart: SearchFields.priceStart,
    priceEnd: SearchFields.priceEnd,
    categoryId: SearchFields.categoryId,
  },
  { additionalProperties: false },
);

/** One page of a 1688 marketing list, in the list's own order. */
export function marketingPage(
  deps: AppDeps,
  list: MarketingList,
  body: Static<typeof MarketingBody>,
): Promise<SearchPage<ProductSummary>> {
  return deps.market.alibaba.marketingList(list, {
    ...(body.keyword?.trim() ? { keyword: body.keyword.trim() } : {}),
    page: body.beginPage ?? 1,
    pageSize: body.pageSize ?? 20,
    ...toSearchFilters(body),
  });
}
