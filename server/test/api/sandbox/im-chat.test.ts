import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/platform/clock.js';
import { UpstreamError } from '../../../src/providers/errors.js';
import type { ChatMessage, ChatView } from '../../../src/providers/sandbox/market/chat.js';
import type { ChatLink, ProviderProduct } from '../../../src/providers/types.js';
import { startServer, type TestServer } from '../../harness.js';

/**
 * The Taobao IM link on the sandbox market: `chatUrl` answers a link whose signed login token opens a
 * working chat page with the seller, for an item or for one of the buyer's orders; the seller answers
 * by keywords; a token that was tampered with or whose 30 minutes of real time passed is refused.
 */

const ADDRESS = { receiver: 'W', phone: '13800000000', province: '广东', city: '东莞', district: '', address: '1号' };
const MINUTE = 60_000;

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

describe('the sandbox chat behind the Taobao IM link', () => {
  let server: TestServer;
  const clock = new ManualClock(Date.UTC(2026, 2, 2, 9));
  let product: ProviderProduct;
  let itemLink: ChatLink;

  const tokenOf = (url: string) => new URL(url).searchParams.get('loginToken') ?? '';
  const chatUrl = (sourceType: 'item' | 'order', bizId: string, buyerId = 'buyer-1') =>
    server.deps.market.taobao.chatUrl({ sourceType, bizId, buyerId });
  const page = (url: string) => fetch(url, { redirect: 'manual' });
  const messages = (token: string) =>
    fetch(`${server.baseUrl}/sandbox/im/messages?loginToken=${encodeURIComponent(token)}`);
  const send = (token: string, text: unknown) =>
    fetch(`${server.baseUrl}/sandbox/im/messages?loginToken=${encodeURIComponent(token)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text }),
    });

  beforeAll(async () => {
    server = await startServer({
      env: { SANDBOX_GOODS: '120', SANDBOX_SEED: '6', UPSTREAM_TIMEOUT_MS: '2000' },
      overrides: { clock },
    });
    const found = await server.deps.market.taobao.search({ keyword: '', page: 1, pageSize: 20 });
    const products = await server.deps.market.taobao.getProducts(found.items.map((i) => i.productId));
    const orderable = products.find((p) => p.status === 'active' && p.skus.some((s) => s.stock >= 2));
    if (!orderable) throw new Error('no orderable product in the sandbox catalog');
    product = orderable;
    const link = await chatUrl('item', product.productId);
    if (!link) throw new Error('no chat link for a product of the catalog');
    itemLink = link;
  });
  afterAll(() => server.close());

  it('links to a chat page on this server that logs the buyer in for 30 minutes', async () => {
    expect(itemLink.url.startsWith(`${server.baseUrl}/sandbox/im/chat?loginToken=`)).toBe(true);
    expect(itemLink.expiresAt).toBe(clock.now() + 30 * MINUTE);
  });

  it('opens the item’s chat page: HTML under a strict Content-Security-Policy, naming the shop and the item', async () => {
    const res = await page(itemLink.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    const html = await res.text();
    expect(html).toContain(escapeHtml(product.shop.shopName.zh));
    expect(html).toContain(escapeHtml(product.title.zh));
    // Every script is inline and carries the answer's nonce; nothing is loaded from elsewhere.
    const scripts = [...html.matchAll(/<script([^>]*)>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs] of scripts) expect(attrs).toBe(` nonce="${nonce}"`);
    expect(html).not.toMatch(/\b(src|href)="/);
  });

  it('answers "多少钱 price?" with the price reply, in Chinese then English, and lists both in order', async () => {
    const token = tokenOf(itemLink.url);
    const res = await send(token, '多少钱 price?');
    expect(res.status).toBe(201);
    const { sent, reply } = (await res.json()) as { sent: ChatMessage; reply: ChatMessage };
    expect(sent).toMatchObject({ from: 'buyer', text: '多少钱 price?' });
    const [zh, en] = reply.text.split('\n');
    expect(reply.from).toBe('seller');
    expect(zh).toContain('价格');
    expect(en).toMatch(/price/i);
    expect(reply.text).toContain(`¥${(product.promotionPriceFen / 100).toFixed(2)}`);

    const list = await messages(token);
    expect(list.status).toBe(200);
    const view = (await list.json()) as ChatView;
    expect(view.shop.name.zh).toBe(product.shop.shopName.zh);
    expect(view.messages.map((m) => [m.from, m.text])).toEqual([
      ['buyer', '多少钱 price?'],
      ['seller', reply.text],
    ]);
    expect(Number(view.messages[0]?.messageId)).toBeLessThan(Number(view.messages[1]?.messageId));
    // The page shows the conversation too, escaped.
    expect(await (await page(itemLink.url)).text()).toContain(escapeHtml(reply.text));
  });

  it('chooses the seller’s reply by keywords', async () => {
    const link = await chatUrl('item', product.productId, 'buyer-keywords');
    const token = tokenOf(link?.url ?? '');
    const replies: Record<string, string> = {
      '什么时候发货？': '发货',
      'When will it ship?': 'ship',
      '有没有L码 size?': '尺码',
      'Is the red colour in stock?': 'in stock',
      我要退货: '退换货',
      'hi there': '您好',
      hmm: '收到您的消息',
    };
    for (const [text, expected] of Object.entries(replies)) {
      const { reply } = (await (await send(token, text)).json()) as { reply: ChatMessage };
      expect(reply.text, text).toContain(expected);
    }
  });

  it('keeps a conversation per buyer, shop and subject', async () => {
    const other = await chatUrl('item', product.productId, 'buyer-2');
    const view = (await (await messages(tokenOf(other?.url ?? ''))).json()) as ChatView;
    expect(view.messages).toEqual([]);
    // The same buyer, shop and subject later: the conversation is there.
    const again = await chatUrl('item', product.productId);
    const mine = (await (await messages(tokenOf(again?.url ?? ''))).json()) as ChatView;
    expect(mine.messages.map((m) => m.text)[0]).toBe('多少钱 price?');
  });

  it('opens a chat about one of the buyer’s orders, showing its lines, and only for that buyer', async () => {
    const sku = product.skus.find((s) => s.stock >= 2);
    const [order] = await server.deps.market.taobao.createOrder({
      lines: [{ productId: product.productId, skuId: sku?.skuId, quantity: 2 }],
      address: ADDRESS,
      buyerId: 'buyer-1',
      clientRef: 'im-order-1',
    });
    const orderId = order?.orderId ?? '';
    const link = await chatUrl('order', orderId);
    if (!link) throw new Error('no chat link for the buyer’s order');
    const res = await page(link.url);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(escapeHtml(product.shop.shopName.zh));
    expect(html).toContain(orderId);
    expect(html).toContain(`${escapeHtml(product.title.zh)} × 2`);
    const token = tokenOf(link.url);
    expect(((await (await messages(token)).json()) as ChatView).messages).toEqual([]);
    const { reply } = (await (await send(token, '这单多少钱')).json()) as { reply: ChatMessage };
    expect(reply.text).toContain(`¥${((order?.totalFen ?? 0) / 100).toFixed(2)}`);

    expect(await chatUrl('order', orderId, 'someone-else')).toBeNull();
    expect(await chatUrl('order', '3589999999999999999')).toBeNull();
  });

  it('answers null for an item the market does not have', async () => {
    expect(await chatUrl('item', '999999999999')).toBeNull();
  });

  it('refuses a tampered token with 401 and a plain page, and stores nothing', async () => {
    const token = tokenOf(itemLink.url);
    const [payload = '', signature = ''] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const forged = `${Buffer.from(JSON.stringify({ ...claims, b: 'buyer-2' })).toString('base64url')}.${signature}`;
    const flipped = `${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    for (const bad of [forged, flipped, 'not-a-token', '']) {
      const res = await page(`${server.baseUrl}/sandbox/im/chat?loginToken=${encodeURIComponent(bad)}`);
      expect(res.status, bad).toBe(401);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await res.text();
      expect(html).toContain('not valid');
      expect(html).not.toMatch(/\bat .*\.(ts|js):\d+/);
      expect((await messages(bad)).status).toBe(401);
      expect((await send(bad, 'hello')).status).toBe(401);
    }
    const before = ((await (await messages(token)).json()) as ChatView).messages.length;
    const other = await chatUrl('item', product.productId, 'buyer-2');
    const view = (await (await messages(tokenOf(other?.url ?? ''))).json()) as ChatView;
    expect(view.messages).toEqual([]);
    expect(((await (await messages(token)).json()) as ChatView).messages).toHaveLength(before);
  });

  it('refuses a message that is empty or longer than 500 characters (400), storing nothing', async () => {
    const link = await chatUrl('item', product.productId, 'buyer-bounds');
    const token = tokenOf(link?.url ?? '');
    for (const text of ['', '   ', 'x'.repeat(501), 42]) expect((await send(token, text)).status).toBe(400);
    expect((await send(token, '好'.repeat(500))).status).toBe(201);
    expect(((await (await messages(token)).json()) as ChatView).messages).toHaveLength(2);
  });

  it('posts the page’s form without scripts and shows the page again', async () => {
    const link = await chatUrl('item', product.productId, 'buyer-form');
    const token = tokenOf(link?.url ?? '');
    const res = await fetch(`${server.baseUrl}/sandbox/im/messages?loginToken=${encodeURIComponent(token)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ text: '你好 <b>hi</b>' }).toString(),
      redirect: 'manual',
    });
    expect(res.status).toBe(303);
    const html = await (await page(new URL(res.headers.get('location') ?? '', server.baseUrl).toString())).text();
    expect(html).toContain('你好 &lt;b&gt;hi&lt;/b&gt;');
    expect(html).not.toContain('<b>hi</b>');
  });

  it('is an operation of the provider: faults apply to it', async () => {
    const sandbox = server.deps.sandbox;
    sandbox?.faults.set({ operation: 'chatUrl', errorRate: 1, timeoutRate: 0, lostReplyRate: 0, latencyMs: 0 });
    try {
      await expect(chatUrl('item', product.productId)).rejects.toBeInstanceOf(UpstreamError);
    } finally {
      sandbox?.faults.clear('chatUrl');
    }
  });

  it('refuses the link 30 minutes later (401, expired); a new link works', async () => {
    clock.advance(30 * MINUTE);
    const res = await page(itemLink.url);
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('expired');
    expect((await send(tokenOf(itemLink.url), 'hello')).status).toBe(401);
    const fresh = await chatUrl('item', product.productId);
    expect((await page(fresh?.url ?? '')).status).toBe(200);
  });
});
