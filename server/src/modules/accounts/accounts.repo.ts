import type { Selectable } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import { prepared } from '../../platform/db/prepared.js';
import type { AccessKeysTable, DevelopersTable, SubAccountsTable } from '../../platform/db/schema.js';

export type DeveloperRow = Selectable<DevelopersTable>;
export type AccessKeyRow = Selectable<AccessKeysTable>;
export type SubAccountRow = Selectable<SubAccountsTable>;

export const developersRepo = {
  insert: (db: Executor, row: DeveloperRow) => db.insertInto('developers').values(row).execute(),

  find: (db: Executor, id: string) => db.selectFrom('developers').selectAll().where('id', '=', id).executeTakeFirst(),

  count: async (db: Executor) =>
    Number(
      (
        await db
          .selectFrom('developers')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    ),

  page: (db: Executor, offset: number, limit: number) =>
    db
      .selectFrom('developers')
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .offset(offset)
      .limit(limit)
      .execute(),

  setStatus: (db: Executor, id: string, status: DeveloperRow['status'], now: number) =>
    db.updateTable('developers').set({ status, updated_at: now }).where('id', '=', id).executeTakeFirst(),

  /** Raises the credentials version that cached key records are checked against (see platform/auth/key-cache.ts). */
  bumpAuthVersion: (db: Executor, id: string) =>
    db
      .updateTable('developers')
      .set((eb) => ({ auth_version: eb('auth_version', '+', 1) }))
      .where('id', '=', id)
      .executeTakeFirst(),
};

export const keysRepo = {
  insert: (db: Executor, row: AccessKeyRow) => db.insertInto('access_keys').values(row).execute(),

  find: (db: Executor, accessKey: string) =>
    db.selectFrom('access_keys').selectAll().where('access_key', '=', accessKey).executeTakeFirst(),

  listByDeveloper: (db: Executor, developId: string) =>
    db.selectFrom('access_keys').selectAll().where('develop_id', '=', developId).orderBy('created_at').execute(),

  update: (db: Executor, accessKey: string, set: Partial<AccessKeyRow>) =>
    db.updateTable('access_keys').set(set).where('access_key', '=', accessKey).executeTakeFirst(),
};

const findSubAccount = prepared((db, a: { developId: string; userId: string }) =>
  db.selectFrom('sub_accounts').selectAll().where('develop_id', '=', a.developId).where('user_id', '=', a.userId),
);

export const subAccountsRepo = {
  insert: (db: Executor, row: SubAccountRow) => db.insertInto('sub_accounts').values(row).execute(),

  find: async (db: Executor, developId: string, userId: string) =>
    (await findSubAccount(db, { developId, userId })).rows[0],

  findMain: (db: Executor, developId: string) =>
    db
      .selectFrom('sub_accounts')
      .selectAll()
      .where('develop_id', '=', developId)
      .where('is_main', '=', 1)
      .executeTakeFirst(),

  findByOutMemberId: (db: Executor, developId: string, outMemberId: string) =>
    db
      .selectFrom('sub_accounts')
      .selectAll()
      .where('develop_id', '=', developId)
      .where('out_member_id', '=', outMemberId)
      .executeTakeFirst(),

  /** A page of the developer's sub-accounts, oldest first; `onlyUserId` narrows it to one. */
  page: async (db: Executor, developId: string, offset: number, limit: number, onlyUserId?: string) => {
    let q = db.selectFrom('sub_accounts').where('develop_id', '=', developId);
    if (onlyUserId !== undefined) q = q.where('user_id', '=', onlyUserId);
    const [rows, total] = await Promise.all([
      q.selectAll().orderBy('created_at').orderBy('user_id').offset(offset).limit(limit).execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(total.n) };
  },

  setStatus: (db: Executor, developId: string, userId: string, status: SubAccountRow['status'], now: number) =>
    db
      .updateTable('sub_accounts')
      .set({ status, updated_at: now })
      .where('develop_id', '=', developId)
      .where('user_id', '=', userId)
      .executeTakeFirst(),
};
