import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Credentials, type Reply, startServer, type TestServer } from '../../harness.js';
import { type Address, F2_EXAMPLE as EXAMPLE } from './address-fixtures.js';

function expectCode(r: Reply, code: number, field?: string): void {
  expect(r.body.code, r.text).toBe(code);
  expect(r.status).toBe(Math.floor(code / 100));
  if (field) expect(r.body.msg, r.text).toContain(`parameter ${field}:`);
}

describe('POST /open/address/addOrUpdate (F2)', () => {
  let server: TestServer;
  let dev: Credentials;
  let sub: Credentials;
  let sibling: Credentials;
  let other: Credentials;
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
  });
  afterAll(() => server?.close());

  const save = (body: unknown, who = sub) => server.signed<Address>(who, 'POST', '/open/address/addOrUpdate', { body });
  const list = (who = sub) => server.signed<Address[]>(who, 'POST', '/open/address/get', { body: {} });

  it('adds the documented example, the first address being the default, the country 中国 unless given', async () => {
    const r = await save(EXAMPLE);
    expect(r.body.code, r.text).toBe(200);
    expect(r.body.data).toMatchObject({
      ...EXAMPLE,
      id: expect.stringMatching(/^[0-9]{1,20}$/),
      country: '中国',
      mobilePhone: '',
      zip: '',
      isDefault: true,
    });
    const second = await save({
      ...EXAMPLE,
      id: undefined,
      country: 'Việt Nam',
      zip: '700000',
      mobilePhone: '+84 90-123',
    });
    expect(second.body.data).toMatchObject({
      country: 'Việt Nam',
      zip: '700000',
      mobilePhone: '+84 90-123',
      isDefault: false,
    });
    expect(second.body.data.id).not.toBe(r.body.data.id);
  });

  it('updates one of the sub-account’s addresses by id, as a string or a JSON number', async () => {
    const added = (await save({ ...EXAMPLE, name: 'Before' })).body.data;
    const updated = await save({ ...EXAMPLE, id: added.id, name: '  After ', city: '宁波市' });
    expect(updated.body.data).toMatchObject({
      id: added.id,
      name: 'After',
      city: '宁波市',
      createTime: added.createTime,
    });
    const raw = JSON.stringify({ ...EXAMPLE, name: 'Raw' }).replace('"id":0', `"id":${added.id}`);
    const r = await server.signed<Address>(sub, 'POST', '/open/address/addOrUpdate', { rawBody: raw });
    expect(r.body.data).toMatchObject({ id: added.id, name: 'Raw' });
    const mine = (await list()).body.data.filter((a) => a.id === added.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]?.name).toBe('Raw');
  });

  it('moves the default to the address saved with isDefault', async () => {
    const a = (await save({ ...EXAMPLE, isDefault: true }, sibling)).body.data;
    const b = (await save({ ...EXAMPLE, isDefault: true }, sibling)).body.data;
    expect(a.isDefault && b.isDefault).toBe(true);
    let all = (await list(sibling)).body.data;
    expect(all.filter((x) => x.isDefault).map((x) => x.id)).toEqual([b.id]);
    expect(all[0]?.id).toBe(b.id);
    await save({ ...EXAMPLE, id: a.id, isDefault: true }, sibling);
    all = (await list(sibling)).body.data;
    expect(all.filter((x) => x.isDefault).map((x) => x.id)).toEqual([a.id]);
    expect(all[0]?.id).toBe(a.id);
  });

  it('answers 40001 naming a required part that is missing or empty, or a malformed phone', async () => {
    for (const field of ['name', 'province', 'city', 'address', 'phone'] as const) {
      const { [field]: _, ...without } = EXAMPLE;
      expectCode(await save(without), 40001, field);
      expectCode(await save({ ...EXAMPLE, [field]: '' }), 40001, field);
      expectCode(await save({ ...EXAMPLE, [field]: '   ' }), 40001, field);
    }
    expectCode(await save({ ...EXAMPLE, phone: 'call me' }), 40001, 'phone');
    expectCode(await save({ ...EXAMPLE, phone: '1234' }), 40001, 'phone');
    expectCode(await save({ ...EXAMPLE, mobilePhone: '12-ab-34' }), 40001, 'mobilePhone');
    expectCode(await save({ ...EXAMPLE, id: 'first' }), 40001, 'id');
    expectCode(await save({ ...EXAMPLE, street: 'x' }), 40001, 'street');
    expectCode(await save({ ...EXAMPLE, name: 'x'.repeat(65) }), 40001, 'name');
  });

  it('answers 40401 for an unknown id, another sub-account’s and another developer’s, changing nothing', async () => {
    const mine = (await save({ ...EXAMPLE, name: 'Mine' })).body.data;
    const missing = await save({ ...EXAMPLE, id: '1795432287562383361' });
    expectCode(missing, 40401);
    expect(missing.body.msg).toContain('1795432287562383361');
    for (const who of [sibling, dev, other]) {
      const r = await save({ ...EXAMPLE, id: mine.id, name: 'Stolen' }, who);
      expectCode(r, 40401);
      expect(r.body.msg.replace(mine.id, '<id>')).toBe(missing.body.msg.replace('1795432287562383361', '<id>'));
    }
    expect((await list()).body.data.find((a) => a.id === mine.id)?.name).toBe('Mine');
  });

  it('refuses a 51st address of a sub-account with 40901; updates still pass', async () => {
    const full = {
      ...dev,
      userId: (await server.signed<{ userId: string }>(dev, 'POST', '/open/user/create', { body: { name: 'Full' } }))
        .body.data.userId,
    };
    let last: Address | undefined;
    for (let i = 0; i < 50; i++) {
      const r = await save({ ...EXAMPLE, name: `R${i}` }, full);
      expect(r.body.code, r.text).toBe(200);
      last = r.body.data;
    }
    const refused = await save(EXAMPLE, full);
    expectCode(refused, 40901);
    expect(refused.body.msg).toContain('50');
    expect((await save({ ...EXAMPLE, id: last?.id, name: 'Again' }, full)).body.code).toBe(200);
    expect((await list(full)).body.data).toHaveLength(50);
  });
});
