import type { Selectable } from 'kysely';
import type { AuthContext } from '../../platform/auth/credentials.js';
import type { Executor } from '../../platform/db/database.js';
import { lockName } from '../../platform/db/dialect.js';
import type { AddressesTable } from '../../platform/db/schema.js';
import type { AppDeps } from '../../platform/deps.js';
import { ApiError, invalidParameter, notFound } from '../../platform/http/errors.js';
import { phrase } from '../../platform/http/reasons.js';
import { EpochMs, Id, type Static, Text, Type } from '../../platform/http/schema.js';

/**
 * The sub-account's receiving addresses (F1, F2). An address belongs to one sub-account: the main
 * account, like any other, sees only its own (docs/architecture.md §6). Orders use one by id
 * (`addressForOrder`).
 */

export type AddressRow = Selectable<AddressesTable>;

export const MAX_ADDRESSES = 50;
export const DEFAULT_COUNTRY = '中国';
const PHONE = /^[0-9 +-]{5,20}$/;

// ---------------------------------------------------------------------------------------------
// Schemas

const Part = (description: string, max: number, example: string) =>
  Text(`${description}; required, not empty`, max, example);
const OptionalPart = (description: string, max: number, example: string) =>
  Type.Optional(Type.Union([Text(description, max), Type.Null()], { description, examples: [example] }));

export const AddressInput = Type.Object(
  {
    id: Type.Optional(
      Type.Union([Id('The address to update; 0 or absent adds a new one', '0'), Type.Null()], {
        description: 'The address to update (one of the sub-account’s); 0, null or absent adds a new one',
        examples: ['0'],
      }),
    ),
    name: Part('Receiver’s name', 64, 'a测试aa'),
    province: Part('Province or state', 64, '浙江省'),
    city: Part('City', 64, '杭州市'),
    district: OptionalPart('District or county', 64, '余杭区'),
    address: Part('Street address', 256, '测试地址'),
    phone: Part('Receiver’s phone: 5 to 20 digits, spaces, + or -', 20, '15068763421'),
    mobilePhone: OptionalPart('Another phone of the receiver, in the same format as `phone`', 20, '15068763421'),
    country: OptionalPart(`Country; default ${DEFAULT_COUNTRY}`, 64, DEFAULT_COUNTRY),
    zip: OptionalPart('Postcode', 20, '311100'),
    isDefault: Type.Optional(
      Type.Boolean({
        description:
          'Make this the sub-account’s default address (the previous default stops being one). A sub-account’s ' +
          'first address is its default unless `false` is given; omitted on an update: unchanged',
      }),
    ),
  },
  { additionalProperties: false },
);
export type AddressInputBody = Static<typeof AddressInput>;

export const Address = Type.Object(
  {
    id: Id('Address id', '1795432287562383362'),
    name: Type.String({ description: 'Receiver’s name', examples: ['a测试aa'] }),
    phone: Type.String({ description: 'Receiver’s phone', examples: ['15068763421'] }),
    mobilePhone: Type.String({ description: 'Another phone; empty when none', examples: [''] }),
    country: Type.String({ description: 'Country', examples: [DEFAULT_COUNTRY] }),
    province: Type.String({ description: 'Province or state', examples: ['浙江省'] }),
    city: Type.String({ description: 'City', examples: ['杭州市'] }),
    district: Type.String({ description: 'District; empty when none', examples: ['余杭区'] }),
    address: Type.String({ description: 'Street address', examples: ['测试地址'] }),
    zip: Type.String({ description: 'Postcode; empty when none', examples: ['311100'] }),
    isDefault: Type.Boolean({ description: 'The sub-account’s default address' }),
    createTime: EpochMs('Created at'),
    updateTime: EpochMs('Last change'),
  },
  { description: 'A receiving address of the sub-account' },
);

export function toAddress(row: AddressRow) {
  return {
    id: row.id,
    name: row.name,
    phone: row.phone,
    mobilePhone: row.mobile_phone,
    country: row.country,
    province: row.province,
    city: row.city,
    district: row.district,
    address: row.address,
    zip: row.zip,
    isDefault: row.is_default === 1,
    createTime: row.created_at,
    updateTime: row.updated_at,
  };
}

// ---------------------------------------------------------------------------------------------
// Repository

function own(db: Executor, auth: AuthContext) {
  return db
    .selectFrom('addresses')
    .selectAll()
    .where('develop_id', '=', auth.developId)
    .where('user_id', '=', auth.userId);
}

async function findOwn(db: Executor, auth: AuthContext, id: string): Promise<AddressRow | undefined> {
  return own(db, auth).where('id', '=', id).executeTakeFirst();
}

async function requireOwn(db: Executor, auth: AuthContext, id: string): Promise<AddressRow> {
  const row = /^[0-9]{1,20}$/.test(id) ? await findOwn(db, auth, id) : undefined;
  if (!row) throw notFound('address', id);
  return row;
}

async function countOwn(db: Executor, auth: AuthContext): Promise<number> {
  const row = await db
    .selectFrom('addresses')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('develop_id', '=', auth.developId)
    .where('user_id', '=', auth.userId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function clearDefault(db: Executor, auth: AuthContext): Promise<void> {
  await db
    .updateTable('addresses')
    .set({ is_default: 0 })
    .where('develop_id', '=', auth.developId)
    .where('user_id', '=', auth.userId)
    .where('is_default', '=', 1)
    .execute();
}

/** Serialises the address changes of one sub-account (the count limit), on PostgreSQL; SQLite's are serial. */
async function lockOwner(deps: Pick<AppDeps, 'database'>, trx: Executor, userId: string): Promise<void> {
  await lockName(deps.database.kind, trx, 20_000_000_000, `addresses:${userId}`);
}

// ---------------------------------------------------------------------------------------------
// Service

type Fields = Omit<AddressRow, 'id' | 'develop_id' | 'user_id' | 'is_default' | 'created_at' | 'updated_at'>;

/** The input's fields, trimmed and checked: 40001 names the first one missing or malformed. */
function fieldsOf(input: AddressInputBody): Fields {
  const required = (field: 'name' | 'province' | 'city' | 'address' | 'phone') => {
    const value = input[field].trim();
    if (!value) throw invalidParameter(field, 'required');
    return value;
  };
  const optional = (value: string | null | undefined) => (value ?? '').trim();
  const fields: Fields = {
    name: required('name'),
    province: required('province'),
    city: required('city'),
    address: required('address'),
    phone: required('phone'),
    district: optional(input.district),
    mobile_phone: optional(input.mobilePhone),
    country: optional(input.country) || DEFAULT_COUNTRY,
    zip: optional(input.zip),
  };
  if (!PHONE.test(fields.phone)) throw invalidParameter('phone', 'phoneFormat');
  if (fields.mobile_phone && !PHONE.test(fields.mobile_phone)) throw invalidParameter('mobilePhone', 'phoneFormat');
  return fields;
}

/** Adds an address (`id` 0 or absent) or replaces one of the sub-account's; inside the route's transaction. */
export async function saveAddress(
  deps: Pick<AppDeps, 'database' | 'ids' | 'clock'>,
  db: Executor,
  auth: AuthContext,
  input: AddressInputBody,
): Promise<AddressRow> {
  const fields = fieldsOf(input);
  const now = deps.clock.now();
  const id = input.id && !/^0+$/.test(input.id) ? input.id : null;
  await lockOwner(deps, db, auth.userId);
  if (id !== null) {
    const existing = await findOwn(db, auth, id);
    if (!existing) throw notFound('address', id);
    if (input.isDefault) await clearDefault(db, auth);
    const isDefault = input.isDefault === undefined ? existing.is_default : input.isDefault ? 1 : 0;
    const row = { ...existing, ...fields, is_default: isDefault, updated_at: now };
    await db
      .updateTable('addresses')
      .set({ ...fields, is_default: isDefault, updated_at: now })
      .where('id', '=', id)
      .execute();
    return row;
  }
  const count = await countOwn(db, auth);
  if (count >= MAX_ADDRESSES) throw new ApiError(40901, { reason: phrase('addressLimit', { max: MAX_ADDRESSES }) });
  const isDefault = input.isDefault ?? count === 0;
  if (isDefault) await clearDefault(db, auth);
  const row: AddressRow = {
    id: deps.ids.next(now),
    develop_id: auth.developId,
    user_id: auth.userId,
    ...fields,
    is_default: isDefault ? 1 : 0,
    created_at: now,
    updated_at: now,
  };
  await db.insertInto('addresses').values(row).execute();
  return row;
}

/** One of the sub-account's addresses, or all of them: the default first, then the newest. */
export async function listAddresses(db: Executor, auth: AuthContext, id?: string | null): Promise<AddressRow[]> {
  if (id !== undefined && id !== null) return [await requireOwn(db, auth, id)];
  return own(db, auth).orderBy('is_default', 'desc').orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
}

/** The receiver of an order placed with one of the sub-account's addresses (by its id). */
export interface OrderAddress {
  name: string;
  phone: string;
  mobilePhone: string;
  country: string;
  province: string;
  city: string;
  district: string;
  address: string;
  zip: string;
}

/**
 * The address `addressId` of the calling sub-account, as an order's receiver. Throws 40401 (`address`)
 * for an unknown id or another sub-account's (the main account's included).
 */
export async function addressForOrder(db: Executor, auth: AuthContext, addressId: string): Promise<OrderAddress> {
  const row = await requireOwn(db, auth, addressId);
  return {
    name: row.name,
    phone: row.phone,
    mobilePhone: row.mobile_phone,
    country: row.country,
    province: row.province,
    city: row.city,
    district: row.district,
    address: row.address,
    zip: row.zip,
  };
}
