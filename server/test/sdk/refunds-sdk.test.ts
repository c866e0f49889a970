import { type ApiError, PonteAdminClient, PonteClient } from '@ponte/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADDRESS } from '../api/orders/alibaba-fixtures.js';
import { RECEIVER, startTaobaoServer, type TaobaoServer } from '../api/orders/taobao-fixtures.js';
import { picture } from '../api/payments/payments-fixtures.js';

/**
 * The SDK's after-sales resources against the real server: `client.taobao.refunds` (T16–T25) and
 * `client.alibaba.refunds` (A20–A25), the sellers' side through the SDK's sandbox controls. The server's clock
 * does not move (the SDK signs with the real time): every seller decision is made through the control API.
 */
describe('SDK after-sales', () => {
  let t: TaobaoServer;
  let client: PonteClient;
  let admin: PonteAdminClient;
  beforeAll(async () => {
    t = await startTaobaoServer();
    client = new PonteClient({ baseUrl: t.server.baseUrl, ...t.dev });
    admin = new PonteAdminClient({ baseUrl: t.server.baseUrl, token: t.server.deps.adminToken });
    await admin.topups.create(t.dev.developId, { amount: 10_000_000, reference: 'sdk refunds' });
  }, 120_000);
  afterAll(() => t?.close());

  /** The refund credits on the ledger, newest first. */
  const refundCredits = async () => (await client.account.ledger({ kind: 'refund' })).entries.map((e) => e.amount);

  it('Taobao: submits, reads, lists, messages, modifies after a refusal and cancels a reverse order', async () => {
    const [a, b] = t.skus;
    if (!a || !b) throw new Error('two SKUs');
    const order = await client.taobao.orders.create({
      orderLineList: [
        { itemId: a.itemId, skuId: a.skuId, quantity: 1 },
        { itemId: b.itemId, skuId: b.skuId, quantity: 1 },
      ],
      receiver: RECEIVER,
    });
    await client.taobao.orders.pay(order.orderId);
    const line = order.subPurchaseOrders[0]?.orderLines[0];
    if (!line) throw new Error('a line');

    const render = await client.taobao.refunds.render({
      subOrderId: line.purchaseOrderLineId,
      refundType: 1,
      goodsStatus: 1,
    });
    expect(render.saleFlag).toBe(true);
    expect(render.refundOrderTemplate.goodsStatusList).toEqual([1]);
    expect(render.refundOrderTemplate.refundTypeList).toEqual([1]);
    const max = render.refundOrderTemplate.maxRefundFee.refundFee;
    expect(max).toBe(line.totalPrice);
    const reasonId = render.refundOrderTemplate.refundReasons[0]?.reasonId;
    if (!reasonId) throw new Error('a reason');
    // A goods state the line does not allow before shipping is refused, naming the field.
    const early = await client.taobao.refunds
      .render({ subOrderId: line.purchaseOrderLineId, refundType: 2, goodsStatus: 3 })
      .catch((e: unknown) => e);
    expect((early as ApiError).code).toBe(40001);
    expect((early as ApiError).msg).toContain('refundType');

    // The evidence picture is uploaded once and named by its path.
    const evidence = await client.alibaba.refunds.uploadVoucher(await picture('png'));
    const input = {
      subOrderId: line.purchaseOrderLineId,
      refundType: 1,
      goodsStatus: 1,
      reasonId,
      refundFee: max - 1,
      refundDesc: 'ordered by mistake',
      refundImages: [evidence.imageRelativeUrl],
    };
    const submitted = await client.taobao.refunds.submit(input, { idempotencyKey: 'sdk-taobao-refund-1' });
    const refund = submitted.refundOrderAggregate.refundOrder;
    expect(refund).toMatchObject({
      refundStatus: '100',
      refundType: 1,
      goodsStatus: 1,
      refundFee: max - 1,
      version: 1,
    });
    expect(refund.refundImages).toHaveLength(1);
    expect(submitted.refundOrderAggregate.purchaseOrderLine).toMatchObject({
      salesOrderId: order.orderId,
      purchaseOrderLineId: line.purchaseOrderLineId,
    });
    const again = await client.taobao.refunds.submit(input, { idempotencyKey: 'sdk-taobao-refund-1' });
    expect(again.refundOrderAggregate.refundOrder.refundId).toBe(refund.refundId);
    // A second reverse order of the same line while this one is open is refused.
    const second = await client.taobao.refunds.submit(input).catch((e: unknown) => e);
    expect((second as ApiError).code).toBe(40901);

    const read = await client.taobao.refunds.get(refund.refundId);
    expect(read.refundOrderAggregate.refundOrder).toMatchObject({ refundId: refund.refundId, refundStatus: '100' });
    const page = await client.taobao.refunds.list({ salesOrderId: order.orderId });
    expect(page.refundOrderAggregates.map((x) => x.refundOrder.refundId)).toEqual([refund.refundId]);
    expect((await client.taobao.refunds.list({ refundStatus: '400', salesOrderId: order.orderId })).total).toBe(0);
    const iterated = [];
    for await (const x of client.taobao.refunds.iterate({ pageSize: 1 })) iterated.push(x.refundOrder.refundId);
    expect(iterated).toContain(refund.refundId);
    const missing = await client.taobao.refunds.get('123456789').catch((e: unknown) => e);
    expect((missing as ApiError).code).toBe(40401);

    const note = await client.taobao.refunds.addMessage(refund.refundId, 'please hurry', [
      `data:image/png;base64,${(await picture('png', 30, 20)).toString('base64')}`,
    ]);
    expect(note).toMatchObject({ refundId: refund.refundId, senderType: 'buyer', content: 'please hurry' });
    expect(note.images).toHaveLength(1);
    const conversation = await client.taobao.refunds.messages(refund.refundId);
    expect(conversation.messages.map((m) => m.content)).toContain('please hurry');
    expect(conversation.messages.find((m) => m.content === 'please hurry')?.messageId).toBe(note.messageId);

    // The seller refuses; the reverse order waits for a modification, which asks the seller again.
    const outer = refund.refundOuterId;
    if (!outer) throw new Error('the marketplace’s id');
    await admin.sandbox.refuseRefund('taobao', outer, 'the goods are fine');
    await t.server.drainOutbox();
    const refused = (await client.taobao.refunds.get(refund.refundId)).refundOrderAggregate.refundOrder;
    expect(refused).toMatchObject({ refundStatus: '-10', refuseTimes: 1 });
    expect(refused.sellerRefuseReason).toContain('the goods are fine');
    const modified = await client.taobao.refunds.modify({
      refundId: refund.refundId,
      refundFee: 1_000 < max ? 1_000 : max,
      refundDesc: 'the colour differs from the picture',
    });
    expect(modified.refundOrderAggregate.refundOrder).toMatchObject({
      refundStatus: '100',
      refundFee: 1_000 < max ? 1_000 : max,
      refundDesc: 'the colour differs from the picture',
    });
    expect(modified.refundOrderAggregate.refundOrder.version).toBeGreaterThan(refused.version);

    // Cancelled: closed, and cancelling again changes nothing.
    const cancelled = await client.taobao.refunds.cancel(refund.refundId);
    expect(cancelled.cancelSuccess).toBe(true);
    expect(cancelled.refundOrderAggregate.refundOrder.refundStatus).toBe('-20');
    const twice = await client.taobao.refunds.cancel(refund.refundId);
    expect(twice.cancelSuccess).toBe(false);
    expect(twice.refundOrderAggregate.refundOrder.refundStatus).toBe('-20');
    expect(await refundCredits()).toEqual([]);

    // Each change wrote a TM3 message about the reverse order.
    const messages = await client.messages.list({ objectId: refund.refundId, pageSize: 50 });
    const statuses = messages.messages
      .reverse()
      .map(
        (m) =>
          (m.messageBody as { refundOrderAggregate: { refundOrder: { refundStatus: string } } }).refundOrderAggregate
            .refundOrder.refundStatus,
      );
    expect(new Set(messages.messages.map((m) => m.messageType))).toEqual(
      new Set(['ORDER_BUYER_VIEW_ORDER_BUYER_REFUND']),
    );
    expect(statuses).toEqual(['100', '-10', '100', '-20']);
  });

  it('Taobao: a return after shipping (T18, T19) and a refund only, each credited once, close the order', async () => {
    const [, , c, d] = t.skus;
    if (!c || !d) throw new Error('SKUs of two more shops');
    const order = await client.taobao.orders.create({
      orderLineList: [
        { itemId: c.itemId, skuId: c.skuId, quantity: 1 },
        { itemId: d.itemId, skuId: d.skuId, quantity: 1 },
      ],
      receiver: RECEIVER,
    });
    await client.taobao.orders.pay(order.orderId);
    const [first, other] = order.subPurchaseOrders;
    const line = first?.orderLines[0];
    const otherLine = other?.orderLines[0];
    if (!first || !line || !otherLine) throw new Error('two sub purchase orders');
    await admin.sandbox.ship('taobao', first.purchaseOrderOuterId);
    await t.server.drainOutbox();
    const before = (await client.account.balance()).balance;

    const render = await client.taobao.refunds.render({
      subOrderId: line.purchaseOrderLineId,
      refundType: 2,
      goodsStatus: 3,
    });
    expect(render.refundOrderTemplate.refundTypeList).toEqual([1, 2]);
    const ret = await client.taobao.refunds.submit({
      subOrderId: line.purchaseOrderLineId,
      refundType: 2,
      goodsStatus: 3,
      reasonId: render.refundOrderTemplate.refundReasons[0]?.reasonId ?? '',
      refundFee: line.totalPrice,
    });
    const refundId = ret.refundOrderAggregate.refundOrder.refundId;
    const early = await client.taobao.refunds.returnLogistics(refundId).catch((e: unknown) => e);
    expect((early as ApiError).code).toBe(40901);
    await admin.sandbox.agreeRefund('taobao', ret.refundOrderAggregate.refundOrder.refundOuterId ?? '');
    await t.server.drainOutbox();

    const where = await client.taobao.refunds.returnLogistics(refundId);
    expect(where.refundStatus).toBe('200');
    expect(where.receiverAddress.detailAddress).not.toBe('');
    expect(where.timeoutDate).toEqual(expect.any(Number));
    const carrier = where.logisticsCompanies[0];
    if (!carrier) throw new Error('a carrier');
    const sent = await client.taobao.refunds.submitReturn({
      refundId,
      logisticsCompanyCode: carrier.logisticCompanyCode,
      logisticsNo: 'SF1234567890',
      returnGoodsDesc: 'sent back as agreed',
    });
    expect(sent.refundOrderAggregate.refundOrder.refundStatus).toBe('300');
    expect(sent.refundOrderAggregate.logistics).toMatchObject({
      logisticsNo: 'SF1234567890',
      returnGoodsDesc: 'sent back as agreed',
    });
    await admin.sandbox.receiveReturn('taobao', ret.refundOrderAggregate.refundOrder.refundOuterId ?? '');
    await t.server.drainOutbox();
    const done = (await client.taobao.refunds.get(refundId)).refundOrderAggregate.refundOrder;
    expect(done).toMatchObject({ refundStatus: '400', refundedFee: line.totalPrice });
    expect(done.finishTime).toEqual(expect.any(Number));

    // The other seller's line, not shipped: a refund only, agreed. Every line refunded in full closes the order.
    const onlyRender = await client.taobao.refunds.render({
      subOrderId: otherLine.purchaseOrderLineId,
      refundType: 1,
      goodsStatus: 1,
    });
    const only = await client.taobao.refunds.submit({
      subOrderId: otherLine.purchaseOrderLineId,
      refundType: 1,
      goodsStatus: 1,
      reasonId: onlyRender.refundOrderTemplate.refundReasons[0]?.reasonId ?? '',
      refundFee: otherLine.totalPrice,
    });
    await admin.sandbox.agreeRefund('taobao', only.refundOrderAggregate.refundOrder.refundOuterId ?? '');
    await t.server.drainOutbox();
    expect(
      (await client.taobao.refunds.get(only.refundOrderAggregate.refundOrder.refundId)).refundOrderAggregate.refundOrder
        .refundStatus,
    ).toBe('400');
    expect((await client.account.balance()).balance).toBe(before + line.totalPrice + otherLine.totalPrice);
    expect((await refundCredits()).slice(0, 2)).toEqual([otherLine.totalPrice, line.totalPrice]);
    expect((await client.taobao.orders.get(order.orderId)).status).toBe('TRADE_CLOSED');
    // Nothing is left to refund on the line.
    const after = await client.taobao.refunds.render({
      subOrderId: line.purchaseOrderLineId,
      refundType: 1,
      goodsStatus: 2,
    });
    expect(after.saleFlag).toBe(false);
  });

  it('1688: uploads a voucher, creates a refund, reads it, and returns the goods of a second one', async () => {
    // An offer with stock for twice its minimum, found as a developer would.
    const found = await client.alibaba.search({ pageSize: 50 });
    let offer: { offerId: string; specId: string; quantity: number } | undefined;
    for (const hit of found.data) {
      const detail = await client.alibaba.detail({ offerId: String(hit.offerId) });
      const sku = detail.productSkuInfos.find((s) => s.amountOnSale >= detail.minOrderQuantity * 2);
      if (detail.status !== 'published' || !sku) continue;
      offer = { offerId: String(hit.offerId), specId: sku.specId, quantity: detail.minOrderQuantity };
      break;
    }
    if (!offer) throw new Error('an offer in stock');
    const created = await client.alibaba.orders.create({
      flow: 'general',
      addressParam: ADDRESS,
      cargoParamList: [offer],
    });
    expect((await client.alibaba.orders.payUrl(created.orderId)).protocolPaySuccess).toBe(true);
    const order = await client.alibaba.orders.get(created.orderId);
    const entry = order.productItems[0];
    if (!entry) throw new Error('a sub-order');

    const companies = await client.alibaba.refunds.logisticsCompanies('en');
    expect(companies.length).toBeGreaterThan(0);
    expect(companies[0]?.companyNo).toBe(companies[0]?.id);

    const reasons = await client.alibaba.refunds.reasons({
      orderId: created.orderId,
      goodsStatus: 'refundWaitSellerSend',
    });
    expect(reasons).toMatchObject({ refundable: true, orderEntryId: entry.subItemID, disputeRequestList: ['refund'] });
    const max = reasons.maxApplyPayment;
    expect(max).toBe(entry.itemAmount);
    const reasonId = reasons.reasons[0]?.id;
    if (!reasonId) throw new Error('a reason');

    // The picture as bytes, and the same as base64 text: one file, one path.
    const bytes = await picture('jpeg', 40, 30);
    const voucher = await client.alibaba.refunds.uploadVoucher(bytes);
    expect(voucher).toMatchObject({ contentType: 'image/jpeg', size: bytes.length });
    expect(voucher.imageRelativeUrl).toMatch(new RegExp(`^evidence/${t.dev.developId}/[0-9a-f]{64}\\.jpg$`));
    expect(voucher.imageDomain + voucher.imageRelativeUrl).toBe(voucher.url.split('?')[0]);
    const viaText = await client.alibaba.refunds.uploadVoucher(`data:image/jpeg;base64,${bytes.toString('base64')}`);
    expect(viaText.imageRelativeUrl).toBe(voucher.imageRelativeUrl);
    const shown = await fetch(voucher.url);
    expect(shown.status).toBe(200);
    expect(Buffer.from(await shown.arrayBuffer())).toEqual(bytes);
    const notPicture = await client.alibaba.refunds
      .uploadVoucher(new TextEncoder().encode('not a picture'))
      .catch((e: unknown) => e);
    expect((notPicture as ApiError).code).toBe(40001);

    const before = (await client.account.balance()).balance;
    const half = Math.floor(max / 2);
    const input = {
      orderId: created.orderId,
      orderEntryIds: [entry.subItemID],
      disputeRequest: 'refund' as const,
      applyPayment: half,
      applyCarriage: 0,
      applyReasonId: reasonId,
      description: '不想要了，请退款',
      goodsStatus: 'refundWaitSellerSend',
      vouchers: [voucher.imageDomain + voucher.imageRelativeUrl],
    };
    const refund = await client.alibaba.refunds.create(input, { idempotencyKey: 'sdk-1688-refund-1' });
    expect(refund).toEqual({ refundId: expect.stringMatching(/^TQ[0-9]+$/), status: 'waitselleragree' });
    const again = await client.alibaba.refunds.create(input, { idempotencyKey: 'sdk-1688-refund-1' });
    expect(again.refundId).toBe(refund.refundId);

    const info = await client.alibaba.refunds.info(refund.refundId, 'en');
    expect(info).toMatchObject({
      refundId: refund.refundId,
      orderId: created.orderId,
      status: 'waitselleragree',
      disputeRequest: 1,
      applyPayment: half,
      applyReasonId: reasonId,
      description: '不想要了，请退款',
      version: 1,
    });
    expect(info.vouchers).toHaveLength(1);
    expect(info.vouchers[0]?.split('?')[0]).toBe(voucher.url.split('?')[0]);
    const missing = await client.alibaba.refunds.info('TQ123456789').catch((e: unknown) => e);
    expect((missing as ApiError).code).toBe(40401);

    await admin.sandbox.agreeRefund('1688', info.refundOuterId ?? '');
    await t.server.drainOutbox();
    const paid = await client.alibaba.refunds.info(refund.refundId);
    expect(paid).toMatchObject({ status: 'refundsuccess', refundPayment: half });
    expect((await client.account.balance()).balance).toBe(before + half);

    // Shipped: the rest goes back with the goods.
    const upstream = order.extAttributes.find((x) => x.key === 'upstreamOrderId')?.value;
    if (!upstream) throw new Error('the marketplace’s order id');
    await admin.sandbox.ship('1688', upstream);
    await t.server.drainOutbox();
    const rest = await client.alibaba.refunds.reasons({
      orderId: created.orderId,
      goodsStatus: 'refundWaitBuyerReceive',
    });
    expect(rest.maxApplyPayment).toBe(max - half);
    expect(rest.disputeRequestList).toEqual(['refund', 'returnRefund']);
    const ret = await client.alibaba.refunds.create({
      ...input,
      disputeRequest: 'returnRefund',
      applyPayment: max - half,
      applyReasonId: rest.reasons[0]?.id ?? '',
      goodsStatus: 'refundWaitBuyerReceive',
      vouchers: [voucher.imageRelativeUrl],
    });
    const retOuter = (await client.alibaba.refunds.info(ret.refundId)).refundOuterId ?? '';
    const early = await client.alibaba.refunds
      .returnGoods({
        refundId: ret.refundId,
        logisticsCompanyNo: companies[0]?.companyNo ?? '',
        freightBill: 'SF1234567890',
      })
      .catch((e: unknown) => e);
    expect((early as ApiError).code).toBe(40901);
    await admin.sandbox.agreeRefund('1688', retOuter);
    await t.server.drainOutbox();
    expect((await client.alibaba.refunds.info(ret.refundId)).status).toBe('waitbuyersend');
    const sent = await client.alibaba.refunds.returnGoods({
      refundId: ret.refundId,
      logisticsCompanyNo: companies[0]?.companyNo ?? '',
      freightBill: 'SF1234567890',
      description: '已寄回',
    });
    expect(sent).toEqual({ success: true, errorCode: null, errorInfo: null });
    expect(await client.alibaba.refunds.info(ret.refundId)).toMatchObject({
      status: 'waitsellerreceive',
      freightBill: 'SF1234567890',
      buyerSendGoods: true,
    });
    await admin.sandbox.receiveReturn('1688', retOuter);
    await t.server.drainOutbox();
    expect(await client.alibaba.refunds.info(ret.refundId)).toMatchObject({
      status: 'refundsuccess',
      refundPayment: max - half,
    });
    expect((await client.account.balance()).balance).toBe(before + max);
    expect((await refundCredits()).slice(0, 2)).toEqual([max - half, half]);
    // Its one line refunded in full, the order closed.
    expect((await client.alibaba.orders.get(created.orderId)).baseInfo.status).toBe('cancel');

    const messages = await client.messages.list({ objectId: refund.refundId, pageSize: 50 });
    expect(messages.messages.map((m) => m.messageType)).toEqual([
      'ORDER_BUYER_VIEW_ORDER_BUYER_REFUND_IN_SALES',
      'ORDER_BUYER_VIEW_ORDER_BUYER_REFUND_IN_SALES',
    ]);
  });
});
