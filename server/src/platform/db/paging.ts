import { type Selectable, type SelectQueryBuilder, sql } from 'kysely';

/** `pageNo` from 1 and `pageSize`, as list endpoints take them. */
export interface PageQuery {
  pageNo?: number;
  pageSize?: number;
}

/**
 * One page of the rows of one table that a filtered query selects, ordered by `created_at` then `id` (newest first
 * unless `order` is `asc`), with how many rows match in all: what the operator's and developers' lists answer.
 */
export async function pageByTime<DB, TB extends keyof DB, O>(
  filtered: SelectQueryBuilder<DB, TB, O>,
  page: PageQuery,
  order: 'asc' | 'desc' = 'desc',
): Promise<{ rows: Selectable<DB[TB]>[]; total: number; pageNo: number; pageSize: number }> {
  const pageNo = page.pageNo ?? 1;
  const pageSize = page.pageSize ?? 20;
  const [count, rows] = await Promise.all([
    filtered.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
    filtered
      .selectAll()
      .orderBy(sql.ref('created_at'), order)
      .orderBy(sql.ref('id'), order)
      .limit(pageSize)
      .offset((pageNo - 1) * pageSize)
      .execute(),
  ]);
  return {
    rows: rows as unknown as Selectable<DB[TB]>[],
    total: Number((count as { n: number | string }).n),
    pageNo,
    pageSize,
  };
}
