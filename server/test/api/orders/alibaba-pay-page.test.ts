import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Detail, type OrdersServer, startOrdersServer } from './alibaba-fixtures.js';

const yuan = (fen: number) => `¥${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;

/** A17 when the balance does not cover the order, and the payment page its `payUrl` leads to. */
describe('GET /alibaba/order/pay/url (A17) and the payment page', () => {
  let s: OrdersServer;
  beforeAll(async () => {
    s = await startOrdersServer();
  });
  afterAll(() => s.close());

  const page = (url: string, method = 'GET', lang = 'en') =>
    fetch(url, {
      method,
      headers: {
        'accept-language': lang,
        ...(method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: method === 'POST' ? '' : undefined,
    });
  const balanceOf = async (developId: string) => {
    const r = await s.server.admin<{ balance: number }>('GET', `/admin/developers/${developId}/balance`);
    expect(r.body.code, r.text).toBe(200);
    return r.body.data.balance;
  };

  it('hands out a page that shows the order, refuses until a top-up, then pays once', async () => {
    const dev = await s.server.createDeveloper('short of money');
    const offer = s.offers[0];
    if (!offer) throw new Error('no offer');
    const orderId = await s.create(dev, [offer]);
    const d: Detail = await s.detail(dev, orderId);
    const total = d.baseInfo.totalAmount;
    await s.topUp(dev.developId, 100);

    const r = await s.get<{ orderId: string; protocolPaySuccess: boolean; payUrl: string }>(
      dev,
      `/alibaba/order/pay/url?orderId=${orderId}`,
    );
    expect(r.body.code, r.text).toBe(200);
    expect(r.body.data).toMatchObject({ orderId, protocolPaySuccess: false, cantPayOrderList: null });
    const url = r.body.data.payUrl;
    expect(url).toMatch(new RegExp(`^${s.server.baseUrl}/pay/alibaba/v1\\.[A-Za-z0-9_-]+$`));
    expect(await balanceOf(dev.developId)).toBe(100);
    // Each call hands out a fresh link; the order id is not readable in it.
    const other = await s.get<{ payUrl: string }>(dev, `/alibaba/order/pay/url?orderId=${orderId}`);
    expect(other.body.data.payUrl).not.toBe(url);
    expect(url).not.toContain(orderId);

    const shown = await page(url);
    expect(shown.status).toBe(200);
    expect(shown.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = shown.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(shown.headers.get('cache-control')).toBe('no-store');
    const html = await shown.text();
    expect(html).not.toMatch(/<script|<img|<link|https?:\/\/(?!localhost|127)/i);
    expect(html).toContain(orderId);
    expect(html).toContain(yuan(total));
    expect(html).toContain(yuan(100));
    expect(html).toContain(`The balance is short by ${yuan(total - 100)}`);
    expect(html).toContain('<button type="submit" disabled>');
    const zh = await (await page(url, 'GET', 'zh-CN')).text();
    expect(zh).toContain('余额还差');

    const refused = await page(url, 'POST');
    expect(refused.status).toBe(402);
    expect(await refused.text()).toContain('Insufficient balance');
    expect(await balanceOf(dev.developId)).toBe(100);
    expect((await s.detail(dev, orderId)).baseInfo).toMatchObject({ status: 'waitbuyerpay', payState: 'unpaid' });

    await s.topUp(dev.developId, total);
    const ready = await (await page(url)).text();
    expect(ready).toContain('<button type="submit">');
    const paid = await page(url, 'POST');
    expect(paid.status).toBe(200);
    expect(await paid.text()).toContain('Paid. Thank you.');
    expect(await balanceOf(dev.developId)).toBe(100);
    const twice = await page(url, 'POST');
    expect(twice.status).toBe(200);
    const again = await twice.text();
    expect(again).toContain('This order is already paid.');
    expect(again).not.toContain('<form');
    expect(await balanceOf(dev.developId)).toBe(100);
    expect((await s.detail(dev, orderId)).baseInfo).toMatchObject({ status: 'waitsellersend', payState: 'paid' });
    expect(await s.messageTypes(dev, orderId)).toEqual(['ORDER_BUYER_VIEW_BUYER_MAKE', 'ORDER_BUYER_VIEW_ORDER_PAY']);

    // A17 now says it is paid, and debits nothing.
    const after = await s.get(dev, `/alibaba/order/pay/url?orderId=${orderId}`);
    expect(after.body.data).toEqual({ orderId, protocolPaySuccess: true, payUrl: null, cantPayOrderList: null });
    expect(await balanceOf(dev.developId)).toBe(100);
  });

  it('answers 404 for a tampered or foreign token and 410 once the link has expired', async () => {
    const dev = await s.server.createDeveloper('links');
    const offer = s.offers[1];
    if (!offer) throw new Error('no offer');
    const orderId = await s.create(dev, [offer]);
    const r = await s.get<{ payUrl: string }>(dev, `/alibaba/order/pay/url?orderId=${orderId}`);
    const url = r.body.data.payUrl;
    const token = url.slice(url.lastIndexOf('/') + 1);
    const flip = (t: string, i: number) => t.slice(0, i) + (t[i] === 'A' ? 'B' : 'A') + t.slice(i + 1);
    const base = `${s.server.baseUrl}/pay/alibaba/`;
    const sealed = (value: unknown) => s.server.deps.secrets.seal(JSON.stringify(value));
    const forged = [
      flip(token, 10),
      flip(token, token.length - 3),
      token.slice(0, -4),
      'v1.AAAA',
      orderId,
      // Sealed by this deployment, but not a payment token.
      sealed({ o: orderId, d: dev.developId, u: dev.userId, x: s.clock.now() + 3_600_000 }),
      // A token naming another developer's order.
      sealed({ p: 'pay-alibaba', o: orderId, d: '1', u: dev.userId, x: s.clock.now() + 3_600_000 }),
    ];
    for (const bad of forged) {
      for (const method of ['GET', 'POST']) {
        const reply = await page(base + bad, method);
        expect(reply.status, `${method} ${bad}`).toBe(404);
        expect(reply.headers.get('content-type')).toBe('text/html; charset=utf-8');
        const text = await reply.text();
        expect(text).toContain('This payment link is not valid.');
        expect(text).not.toContain(orderId);
      }
    }
    expect((await page(url)).status).toBe(200);
    await s.advance(24 * 3_600_000 + 1000);
    const expired = await page(url, 'POST');
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain('expired');
    expect((await s.detail(dev, orderId)).baseInfo.payState).toBe('unpaid');
  });

  it('shows a closed order as closed, and A17 answers 40901 for it', async () => {
    const dev = await s.server.createDeveloper('closed');
    const offer = s.offers[2];
    if (!offer) throw new Error('no offer');
    const orderId = await s.create(dev, [offer]);
    const url = (await s.get<{ payUrl: string }>(dev, `/alibaba/order/pay/url?orderId=${orderId}`)).body.data.payUrl;
    await s.advance(11_000);
    const cancel = await s.post(dev, '/alibaba/order/cancel', { webSite: '1688', orderId, cancelReason: 'other' });
    expect(cancel.body.code, cancel.text).toBe(200);
    const html = await (await page(url)).text();
    expect(html).toContain('This order is closed and cannot be paid.');
    expect(html).not.toContain('<form');
    const post = await page(url, 'POST');
    expect(post.status).toBe(409);
    const r = await s.get(dev, `/alibaba/order/pay/url?orderId=${orderId}`);
    expect(r.body.code, r.text).toBe(40901);
  });
});
