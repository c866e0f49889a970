import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Credentials, type Reply, startServer, type TestServer } from '../../harness.js';
import { type Address, F2_EXAMPLE as EXAMPLE } from '../accounts/address-fixtures.js';

/**
 * The addresses on v2 (F1, F2): the v1 handlers behind `/v2/open/address/...`. They carry no ids of goods or
 * orders, so v2 answers them as v1 does, address ids included; they are one sub-account's, on either path.
 */

let server: TestServer;
let dev: Credentials;
let sub: Credentials;
let other: Credentials;

const save = (body: unknown, who = sub) =>
  server.signed<Address>(who, 'POST', '/v2/open/address/addOrUpdate', { body });
const get = (body: unknown, who = sub) => server.signed<Address[]>(who, 'POST', '/v2/open/address/get', { body });
const getV1 = (body: unknown, who = sub) => server.signed<Address[]>(who, 'POST', '/open/address/get', { body });

function ok<T>(r: Reply<T>): T {
  expect(r.body.code, r.text).toBe(200);
  return r.body.data;
}

function expectCode(r: Reply, code: number, field?: string): void {
  expect(r.body.code, r.text).toBe(code);
  expect(r.status, r.text).toBe(Math.floor(code / 100));
  if (field) expect(r.body.msg, r.text).toContain(`parameter ${field}:`);
}

beforeAll(async () => {
  server = await startServer({ env: { RATE_LIMIT_BURST: '100000', RATE_LIMIT_PER_SECOND: '100000' } });
  dev = await server.createDeveloper('Addresses v2');
  other = await server.createDeveloper('Other');
  const r = await server.signed<{ userId: string }>(dev, 'POST', '/open/user/create', { body: { name: 'Store 1' } });
  sub = { ...dev, userId: r.body.data.userId };
});
afterAll(() => server?.close());

describe('F2 on v2: POST /v2/open/address/addOrUpdate', () => {
  it('adds the documented example, the first address the default; v1 reads the same address', async () => {
    const added = ok(await save(EXAMPLE));
    expect(added).toMatchObject({
      ...EXAMPLE,
      id: expect.stringMatching(/^[0-9]{1,20}$/),
      country: '中国',
      mobilePhone: '',
      zip: '',
      isDefault: true,
    });
    expect(ok(await getV1({}))).toEqual([added]);
  });

  it('updates an address by its id, and refuses another’s or an unknown one with 40401', async () => {
    const added = ok(await save({ ...EXAMPLE, id: undefined, name: 'Before', zip: '311100' }));
    const updated = ok(await save({ ...EXAMPLE, id: added.id, name: 'After', city: '宁波市' }));
    expect(updated).toMatchObject({ id: added.id, name: 'After', city: '宁波市', createTime: added.createTime });
    expectCode(await save({ ...EXAMPLE, id: added.id, name: 'Stolen' }, dev), 40401);
    expectCode(await save({ ...EXAMPLE, id: added.id, name: 'Stolen' }, other), 40401);
    expectCode(await save({ ...EXAMPLE, id: '1795432287562383361' }), 40401);
    expect(ok(await get({ id: added.id }))).toEqual([expect.objectContaining({ id: added.id, name: 'After' })]);
  });

  it('answers 40001 naming a required part that is missing', async () => {
    const { phone: _, ...without } = EXAMPLE;
    expectCode(await save(without), 40001, 'phone');
    expectCode(await save({ ...EXAMPLE, street: 'x' }), 40001, 'street');
  });
});

describe('F1 on v2: POST /v2/open/address/get', () => {
  it('lists the sub-account’s addresses, the default first, as v1 does', async () => {
    const all = ok(await get({}));
    expect(all.map((a) => a.name)).toEqual(['a测试aa', 'After']);
    expect(all[0]?.isDefault).toBe(true);
    expect(all).toEqual(ok(await getV1({})));
    expect(ok(await get({ id: 0 }))).toEqual(all);
    expect(ok(await get({ id: all[1]?.id }))).toEqual([all[1]]);
  });

  it('is the sub-account’s own: the main account and another developer see none of it', async () => {
    const [first] = ok(await get({}));
    for (const who of [dev, other]) {
      expect(ok(await get({}, who))).toEqual([]);
      expectCode(await get({ id: first?.id }, who), 40401);
    }
    expectCode(await get({ id: '1795432287562383361' }), 40401);
  });
});
