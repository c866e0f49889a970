/**
 * The simulated seller's answers in the sandbox chat: one canned reply per topic, chosen by keywords
 * in Chinese or English (the first topic that matches wins, so "多少钱 price?" is about the price), in
 * the shop's language with an English line below.
 */
export type ChatTopic = 'price' | 'shipping' | 'variant' | 'after_sales' | 'greeting' | 'other';

/** What the seller knows of the conversation's subject. */
export interface ReplyContext {
  shopName: { zh: string; en: string };
  /** The item's price, or the order's total, in fen. */
  amountFen: number;
  sourceType: 'item' | 'order';
}

const TOPICS: { topic: ChatTopic; pattern: RegExp }[] = [
  {
    topic: 'price',
    pattern:
      /价|钱|便宜|优惠|折扣|打折|砍价|券|\b(price|prices|pricing|cost|costs|how much|discounts?|cheap|cheaper|coupons?|deal)\b/i,
  },
  {
    topic: 'shipping',
    pattern:
      /发货|快递|物流|几天|多久|什么时候|到货|寄|\b(ship|ships|shipping|shipped|deliver|delivery|when|arrive|arrives|courier|tracking|dispatch)\b/i,
  },
  {
    topic: 'variant',
    pattern: /尺码|尺寸|大小|码数|颜色|色|库存|有货|现货|\b(size|sizes|colou?rs?|stock|available|availability|fit)\b/i,
  },
  {
    topic: 'after_sales',
    pattern: /退款|退货|换货|售后|\b(refunds?|returns?|exchange)\b/i,
  },
  {
    topic: 'greeting',
    pattern: /你好|您好|在吗|在不在|哈喽|嗨|\b(hello|hi|hey|good (morning|afternoon|evening))\b/i,
  },
];

export function chatTopic(text: string): ChatTopic {
  return TOPICS.find((t) => t.pattern.test(text))?.topic ?? 'other';
}

const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;

/** The seller's reply to `text`: Chinese, then English on the next line. */
export function sellerReply(text: string, context: ReplyContext): string {
  const [zh, en] = lines(chatTopic(text), context);
  return `${zh}\n${en}`;
}

function lines(topic: ChatTopic, c: ReplyContext): [string, string] {
  const amount = yuan(c.amountFen);
  switch (topic) {
    case 'price':
      return c.sourceType === 'item'
        ? [
            `亲，这款现在的价格是 ${amount}，已经是活动价了哦。拍下后如需改价，小店会在订单里调整。`,
            `This item is ${amount} now, already the promotional price. If the price needs adjusting after you order, we change it on the order.`,
          ]
        : [
            `亲，您这笔订单的金额是 ${amount}。付款前如需改价，小店会在订单里调整哦。`,
            `Your order comes to ${amount}. If the price needs adjusting before you pay, we change it on the order.`,
          ];
    case 'shipping':
      return [
        '亲，付款后 48 小时内发货，发货后一般 2 到 4 天送到仓库哦。',
        'We ship within 48 hours of payment; parcels usually reach the warehouse 2 to 4 days later.',
      ];
    case 'variant':
      return [
        '亲，尺码和颜色以商品页的规格为准，页面上能选的规格都有现货哦。',
        'Sizes and colours are the options on the item page; every option you can select is in stock.',
      ];
    case 'after_sales':
      return [
        '亲，支持七天无理由退换货。收到货有问题请在订单里申请售后，小店会尽快处理。',
        'Returns are accepted within 7 days, no reason needed. If something is wrong, open an after-sales request on the order and we will deal with it quickly.',
      ];
    case 'greeting':
      return [
        `亲，您好！欢迎光临${c.shopName.zh}，有什么可以帮您？`,
        `Hello! Welcome to ${c.shopName.en}. How can I help?`,
      ];
    default:
      return [
        '亲，收到您的消息了，客服稍后为您详细解答哦。',
        'We have your message; our customer service will answer in detail shortly.',
      ];
  }
}
