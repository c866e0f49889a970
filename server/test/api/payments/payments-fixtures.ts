import sharp from 'sharp';
import { expect } from 'vitest';
import { createVoucher, readVoucherPicture } from '../../../src/modules/payments/index.js';
import { defineRoute } from '../../../src/platform/http/route.js';
import { Int, Strict, Text, Type } from '../../../src/platform/http/schema.js';
import type { Credentials, Reply, TestServer } from '../../harness.js';

/** Settings of a payments test server: plenty of requests per second, a tiny sandbox catalog. */
export const PAYMENTS_ENV = { RATE_LIMIT_PER_SECOND: '100000', RATE_LIMIT_BURST: '100000', SANDBOX_GOODS: '40' };

/**
 * Test-only: records a payment voucher through the payments service (`createVoucher`), as the order
 * module's upload does once the order checks pass, so that the operator's voucher routes can be tested
 * without an order.
 */
export const testVoucherRoute = defineRoute({
  method: 'POST',
  url: '/test/payments/vouchers',
  operationId: 'testCreateVoucher',
  summary: 'Records a payment voucher (tests only)',
  tags: ['Test'],
  auth: 'signed',
  mutation: true,
  bodyLimit: () => 8 * 1024 * 1024,
  body: Strict({
    orderId: Type.Optional(Text('Order', 20)),
    amount: Int('Fen', 1, 100_000_000),
    reference: Text('Reference', 64, undefined, 1),
    picture: Text('Base64', 8_000_000, undefined, 1),
    note: Type.Optional(Text('Note', 200)),
  }),
  data: Type.Object({ voucherId: Type.String() }),
  handler: async ({ deps, db, auth, body }) => {
    const voucher = await createVoucher(db, deps, {
      developId: auth.developId,
      userId: auth.userId,
      orderId: body.orderId ?? null,
      amountFen: body.amount,
      reference: body.reference,
      note: body.note,
      picture: await readVoucherPicture(body.picture),
    });
    return { voucherId: voucher.id };
  },
});

/** A small real picture, encoded by the image library in `format`. */
export async function picture(
  format: 'png' | 'jpeg' | 'webp' | 'gif' | 'tiff' = 'png',
  width = 24,
  height = 16,
): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 30, b: 60 } } })
    .toFormat(format)
    .toBuffer();
}

export function expectCode(r: Reply, code: number, mention?: string): void {
  expect(r.body.code, r.text).toBe(code);
  expect(r.status).toBe(code === 200 ? 200 : Math.floor(code / 100));
  if (code !== 200) expect(r.body.data).toBeNull();
  if (mention) expect(r.body.msg).toContain(mention);
}

/** Tops up a developer's balance through the operator API; returns the reply's data. */
export async function topUp(
  server: TestServer,
  developId: string,
  amount: number,
  reference = 'bank-1',
): Promise<{ topup: { topupId: string; createTime: number }; transactionId: string; balance: { balance: number } }> {
  const r = await server.admin<{
    topup: { topupId: string; createTime: number };
    transactionId: string;
    balance: { balance: number };
  }>('POST', `/admin/developers/${developId}/topups`, { amount, reference });
  expectCode(r, 200);
  return r.body.data;
}

/** A voucher recorded through the test route as `creds` (a sub-account when `userId` is given). */
export async function recordVoucher(
  server: TestServer,
  creds: Credentials,
  input: { amount: number; orderId?: string; reference?: string; picture?: Buffer; userId?: string },
): Promise<string> {
  const bytes = input.picture ?? (await picture());
  const r = await server.signed<{ voucherId: string }>(creds, 'POST', '/test/payments/vouchers', {
    body: {
      amount: input.amount,
      reference: input.reference ?? 'transfer-1',
      picture: bytes.toString('base64'),
      ...(input.orderId ? { orderId: input.orderId } : {}),
    },
    userId: input.userId,
  });
  expectCode(r, 200);
  return r.body.data.voucherId;
}

export async function balanceOf(server: TestServer, developId: string): Promise<number> {
  const r = await server.admin<{ balance: number }>('GET', `/admin/developers/${developId}/balance`);
  expectCode(r, 200);
  return r.body.data.balance;
}

/** Creates a sub-account of `creds`'s developer; returns its user id. */
export async function createSubAccount(server: TestServer, creds: Credentials, name: string): Promise<string> {
  const r = await server.signed<{ userId: string }>(creds, 'POST', '/open/user/create', { body: { name } });
  expectCode(r, 200);
  return r.body.data.userId;
}
