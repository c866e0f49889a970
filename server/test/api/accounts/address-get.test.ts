import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressForOrder } from '../../../src/modules/accounts/index.js';
import { ApiError } from '../../../src/platform/http/errors.js';
import { type Credentials, startServer, type TestServer } from '../../harness.js';

interface Address {
  id: string;
  name: string;
  isDefault: boolean;
  zip: string;
}

const BODY = {
  name: 'Nguyen Van A',
  province: 'Hồ Chí Minh',
  city: 'Thủ Đức',
  district: 'Quận 9',
  address: '12 Lê Văn Việt',
  phone: '+84 901 234 567',
  zip: '700000',
};

describe('POST /open/address/get (F1) and addressForOrder', () => {
  let server: TestServer;
  let dev: Credentials;
  let sub: Credentials;
  let sibling: Credentials;
  let other: Credentials;
  const mine: Address[] = [];
  beforeAll(async () => {
    server = await startServer({ env: { RATE_LIMIT_BURST: '100000', RATE_LIMIT_PER_SECOND: '100000' } });
    dev = await server.createDeveloper('Addresses');
    other = await server.createDeveloper('Other');
    const create = async (name: string) => {
      const r = await server.signed<{ userId: string }>(dev, 'POST', '/open/user/create', { body: { name } });
      return { ...dev, userId: r.body.data.userId };
    };
    sub = await create('Store 1');
    sibling = await create('Store 2');
    for (const name of ['First', 'Second', 'Third']) {
      const r = await server.signed<Address>(sub, 'POST', '/open/address/addOrUpdate', { body: { ...BODY, name } });
      mine.push(r.body.data);
    }
  });
  afterAll(() => server?.close());

  const get = (body: unknown, who = sub) => server.signed<Address[]>(who, 'POST', '/open/address/get', { body });
  const auth = (who: Credentials) => ({
    developId: who.developId,
    accessKey: who.accessKey,
    userId: who.userId,
    isMainAccount: who.userId === dev.userId || who.userId === other.userId,
  });

  it('lists the sub-account’s addresses, the default first, then the newest', async () => {
    const r = await get({});
    expect(r.body.code, r.text).toBe(200);
    expect(r.body.data.map((a) => a.name)).toEqual(['First', 'Third', 'Second']);
    expect(r.body.data[0]?.isDefault).toBe(true);
    // No body at all, or id 0, lists them too.
    const bare = await server.signed<Address[]>(sub, 'POST', '/open/address/get');
    expect(bare.body.data.map((a) => a.id)).toEqual(r.body.data.map((a) => a.id));
    expect((await get({ id: 0 })).body.data).toHaveLength(3);
  });

  it('answers one address by id, as a list of one', async () => {
    const r = await get({ id: mine[1]?.id });
    expect(r.body.data).toEqual([expect.objectContaining({ id: mine[1]?.id, name: 'Second', zip: '700000' })]);
  });

  it('is the sub-account’s own: the main account, a sibling and another developer see none of it', async () => {
    for (const who of [dev, sibling, other]) {
      expect((await get({}, who)).body.data).toEqual([]);
      const r = await get({ id: mine[0]?.id }, who);
      expect(r.body.code).toBe(40401);
      expect(r.status).toBe(404);
    }
    expect((await get({ id: '1795432287562383361' })).body.code).toBe(40401);
    expect((await get({ id: 'abc' })).body.code).toBe(40001);
  });

  it('gives an order the receiver of one of the sub-account’s addresses, and 40401 for any other', async () => {
    const db = server.deps.database.db;
    const id = mine[2]?.id ?? '';
    expect(await addressForOrder(db, auth(sub), id)).toEqual({
      name: 'Third',
      phone: '+84 901 234 567',
      mobilePhone: '',
      country: '中国',
      province: 'Hồ Chí Minh',
      city: 'Thủ Đức',
      district: 'Quận 9',
      address: '12 Lê Văn Việt',
      zip: '700000',
    });
    for (const [who, addressId] of [
      [dev, id],
      [sibling, id],
      [other, id],
      [sub, '1795432287562383361'],
      [sub, ''],
    ] as const) {
      const err = await addressForOrder(db, auth(who), addressId).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).code).toBe(40401);
    }
  });
});
