import { randomBytes } from 'node:crypto';
import { MarketRejection } from '../../errors.js';
import type { ChatLink, ChatLinkRequest, Localized, Platform } from '../../types.js';
import { sellerReply } from './chat-replies.js';
import { type ChatClaims, ChatTokenError, signChatToken, verifyChatToken } from './chat-token.js';
import type { MarketContext } from './context.js';
import type { Orders } from './orders.js';

/** How long a chat link logs the buyer in, in real time. */
export const CHAT_LINK_TTL_MS = 30 * 60 * 1000;
export const CHAT_TEXT_MAX = 500;

export interface ChatMessage {
  messageId: string;
  from: 'buyer' | 'seller';
  /** The seller's replies hold the Chinese line, then the English one. */
  text: string;
  /** Market time. */
  time: number;
}

/** What the conversation is about: an item, or the buyer's order and its lines. */
export interface ChatSubject {
  sourceType: 'item' | 'order';
  bizId: string;
  /** The item's title, or one entry per order line. */
  lines: { title: Localized; quantity: number }[];
  /** The item's price or the order's total, fen. */
  amountFen: number;
}

export interface ChatView {
  shop: { shopId: string; name: Localized };
  subject: ChatSubject;
  buyerId: string;
  expiresAt: number;
  messages: ChatMessage[];
}

interface MessageRow {
  message_id: number;
  sender: 'buyer' | 'seller';
  text: string;
  time: number;
}

/**
 * The sandbox's chats between buyers and sellers: links carrying a signed login token that expires,
 * and conversations per buyer, shop and subject kept in the sandbox store. The signing secret is a row
 * of `meta`, made on first use, so every process serving the store signs alike and a reset (which
 * empties `meta`) voids the old links along with the old conversations.
 */
export class SellerChat {
  constructor(
    private readonly m: MarketContext,
    private readonly orders: Record<Platform, Orders>,
    private readonly realNow: () => number,
    private readonly baseUrl: () => string,
  ) {}

  /** A link to the chat about an item, or about one of the buyer's orders; null when it does not exist. */
  link(platform: Platform, request: ChatLinkRequest): ChatLink | null {
    const shopId = this.shopOf(platform, request);
    if (shopId === null) return null;
    const expiresAt = this.realNow() + CHAT_LINK_TTL_MS;
    const token = signChatToken(this.secret(), { platform, ...request, shopId, expiresAt });
    return { url: `${this.baseUrl()}/sandbox/im/chat?loginToken=${encodeURIComponent(token)}`, expiresAt };
  }

  /** The conversation a token opens; `ChatTokenError` for a token that is forged, expired or stale. */
  open(token: unknown): ChatView {
    return this.view(this.claims(token));
  }

  /**
   * Stores the buyer's message (1 to 500 characters once trimmed) and the seller's canned reply, in one
   * transaction; `MarketRejection` (`invalid_value`, field `text`) for a text out of bounds.
   */
  send(token: unknown, text: unknown): { sent: ChatMessage; reply: ChatMessage } {
    const { db, clock } = this.m;
    const claims = this.claims(token);
    const { shop, subject } = this.about(claims);
    const body = checkText(text);
    const answer = sellerReply(body, {
      shopName: { zh: shop.name.zh, en: shop.name.en },
      amountFen: subject.amountFen,
      sourceType: subject.sourceType,
    });
    const insert = db.prepare(
      `insert into chat_messages (platform, buyer_id, shop_id, source_type, biz_id, sender, text, time)
       values (?, ?, ?, ?, ?, ?, ?, ?) returning message_id, sender, text, time`,
    );
    const key = [claims.platform, claims.buyerId, claims.shopId, claims.sourceType, claims.bizId] as const;
    return db
      .transaction(() => {
        const now = clock.now();
        const sent = insert.get(...key, 'buyer', body, now) as MessageRow;
        const reply = insert.get(...key, 'seller', answer, now) as MessageRow;
        return { sent: toMessage(sent), reply: toMessage(reply) };
      })
      .immediate();
  }

  private view(claims: ChatClaims): ChatView {
    const { shop, subject } = this.about(claims);
    return { shop, subject, buyerId: claims.buyerId, expiresAt: claims.expiresAt, messages: this.messages(claims) };
  }

  /** The shop and the subject a token names, as they are now; `gone` when the market no longer has them. */
  private about(claims: ChatClaims): Pick<ChatView, 'shop' | 'subject'> {
    const subject = this.subject(claims);
    const shop = this.m.catalog.shop(claims.platform, claims.shopId);
    if (!subject || !shop) throw new ChatTokenError('gone');
    return { shop: { shopId: shop.shopId, name: shop.shopName }, subject };
  }

  private claims(token: unknown): ChatClaims {
    return verifyChatToken(this.secret(), token, this.realNow());
  }

  private messages(c: ChatClaims): ChatMessage[] {
    const rows = this.m.db
      .prepare(
        `select message_id, sender, text, time from chat_messages
         where platform = ? and buyer_id = ? and shop_id = ? and source_type = ? and biz_id = ? order by message_id`,
      )
      .all(c.platform, c.buyerId, c.shopId, c.sourceType, c.bizId) as MessageRow[];
    return rows.map(toMessage);
  }

  private shopOf(platform: Platform, r: ChatLinkRequest): string | null {
    if (r.sourceType === 'item') return this.m.catalog.goodRow(platform, r.bizId)?.shop_id ?? null;
    return this.orders[platform].get(r.bizId, r.buyerId)?.shopId ?? null;
  }

  private subject(c: ChatClaims): ChatSubject | null {
    const base = { sourceType: c.sourceType, bizId: c.bizId };
    if (c.sourceType === 'item') {
      const row = this.m.catalog.goodRow(c.platform, c.bizId);
      if (!row || row.shop_id !== c.shopId) return null;
      const summary = this.m.catalog.summary(row);
      return { ...base, lines: [{ title: summary.title, quantity: 1 }], amountFen: summary.promotionPriceFen };
    }
    const order = this.orders[c.platform].get(c.bizId, c.buyerId);
    if (!order || order.shopId !== c.shopId) return null;
    return {
      ...base,
      lines: order.lines.map((l) => ({ title: l.title, quantity: l.quantity })),
      amountFen: order.totalFen,
    };
  }

  /** The signing key: read, or made once (concurrent first uses agree on the row that won). */
  private secret(): Buffer {
    const { db } = this.m;
    const read = () =>
      db.prepare("select value from meta where key = 'chat_secret'").pluck().get() as string | undefined;
    let value = read();
    if (value === undefined) {
      db.prepare("insert into meta (key, value) values ('chat_secret', ?) on conflict (key) do nothing").run(
        randomBytes(32).toString('base64url'),
      );
      value = read() as string;
    }
    return Buffer.from(value, 'base64url');
  }
}

function checkText(text: unknown): string {
  const body = typeof text === 'string' ? text.trim() : '';
  const length = [...body].length;
  if (length < 1 || length > CHAT_TEXT_MAX || body.includes('\u0000')) {
    throw new MarketRejection('invalid_value', `a message is 1 to ${CHAT_TEXT_MAX} characters`, 'text');
  }
  return body;
}

function toMessage(row: MessageRow): ChatMessage {
  return { messageId: String(row.message_id), from: row.sender, text: row.text, time: row.time };
}
