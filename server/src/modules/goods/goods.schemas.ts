import { invalidParameter } from '../../platform/http/errors.js';
import { Int, PageNo, type TSchema, Type } from '../../platform/http/schema.js';
import type { SearchFilters, SearchPage, SearchSort } from '../../providers/types.js';

/**
 * Schema pieces the goods lists of both platforms share: paging, sort keys and search filters, so
 * that every list endpoint pages, sorts and filters the same way.
 */

export const GoodsPageNo = PageNo;

/** The page size of a goods list; marketplaces cap it lower than the platform's lists. */
export function goodsPageSize(max: number, fallback: number) {
  return Type.Optional(Int(`Results per page, 1 to ${max} (default ${fallback})`, 1, max, fallback));
}

/** A page of a goods list, in PandaPon's paging words. */
export function Paged<T extends TSchema>(item: T, description: string) {
  return Type.Object({
    total: Int('Number of results over all pages', 0, Number.MAX_SAFE_INTEGER),
    pageNo: Int('This page, from 1', 1, 100_000),
    pageSize: Int('Results per page asked for; the last page may hold fewer', 1, 100),
    list: Type.Array(item, { description }),
  });
}

export function toPaged<S, T>(page: SearchPage<S>, map: (item: S) => T) {
  return { total: page.total, pageNo: page.page, pageSize: page.pageSize, list: page.items.map(map) };
}

export const SEARCH_SORTS = ['relevance', 'price_asc', 'price_desc', 'sales_desc'] as const satisfies SearchSort[];

/**
 * The sort field of a search: the provider's own keys plus a platform's documented aliases (keys the
 * marketplace knows but a sandbox or a distribution account cannot rank by, mapped to the nearest).
 */
export function SortField<A extends string>(aliases: Record<A, SearchSort>, description: string) {
  const values = [...SEARCH_SORTS, ...(Object.keys(aliases) as A[])];
  return Type.Optional(Type.Enum(values, { description, examples: ['relevance'] }));
}

export function toSearchSort<A extends string>(
  value: SearchSort | A | undefined,
  aliases: Record<A, SearchSort>,
): SearchSort {
  if (value === undefined) return 'relevance';
  return (SEARCH_SORTS as readonly string[]).includes(value) ? (value as SearchSort) : aliases[value as A];
}

/** Optional filters of a keyword search. Prices are compared with the lowest list price of a good. */
export const SearchFilterFields = {
  priceStart: Type.Optional(
    Int('Lowest price to include (fen, inclusive), compared with the lowest list price', 0, 1_000_000_000_000, 1000),
  ),
  priceEnd: Type.Optional(
    Int('Highest price to include (fen, inclusive), compared with the lowest list price', 0, 1_000_000_000_000, 50000),
  ),
  categoryId: Type.Optional(
    Type.String({
      pattern: '^[0-9]{1,20}$',
      description: 'Only goods of this category (a leaf, or a top-level category with all its leaves)',
      examples: ['101002'],
    }),
  ),
  shipIn24h: Type.Optional(
    Type.Boolean({ description: 'true: only goods shipped within 24 hours of payment; false or omitted: all goods' }),
  ),
};

export function toSearchFilters(f: {
  priceStart?: number;
  priceEnd?: number;
  categoryId?: string;
  shipIn24h?: boolean;
}): SearchFilters {
  if (f.priceStart !== undefined && f.priceEnd !== undefined && f.priceStart > f.priceEnd) {
    throw invalidParameter('priceEnd', 'priceEndBelowStart');
  }
  return {
    ...(f.priceStart === undefined ? {} : { priceMinFen: f.priceStart }),
    ...(f.priceEnd === undefined ? {} : { priceMaxFen: f.priceEnd }),
    ...(f.categoryId === undefined ? {} : { categoryId: f.categoryId }),
    ...(f.shipIn24h === undefined ? {} : { shipIn24h: f.shipIn24h }),
  };
}
