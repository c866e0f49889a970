import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import sharp from 'sharp';
import { expect } from 'vitest';
import { MESSAGE_BODIES, type MessageKindName, messageKindOf } from '../../../src/modules/messages/message-bodies.js';
import type { Credentials, Reply, TestServer } from '../../harness.js';

/** Helpers of the warehouse tests: the item as the API answers it, the operator's calls, the messages checked. */

export const DAY = 86_400_000;

/** W3's documented example, as published (its ids name nothing in the sandbox). */
export const W3_EXAMPLE = {
  orderId: '21',
  tmallOrderId: '12345667',
  logisticInfos: [
    {
      lineItem: { itemId: '2048020617114736', skuId: '413185732720', quantity: 1, title: '这是商品1', imageUrl: 'url' },
      logisticNumer: 'FARJP2408000013YQ',
      domesticLogisticInfo: [
        { logisticNumer: 'SF1234521212678', logisticCompanyName: '顺丰', rtsTime: '1754342534' },
        { logisticNumer: 'YT122323345678', logisticCompanyName: '圆通', rtsTime: '1754342534' },
      ],
    },
  ],
};

export interface Item {
  itemId: string;
  status: string;
  source: 'order' | 'developer';
  platform: 'taobao' | '1688' | null;
  orderId: string | null;
  lineId: string | null;
  externalOrderId: string | null;
  productId: string;
  skuId: string | null;
  title: string;
  titleTrans: string;
  imageUrl: string;
  quantity: number;
  quantityReceived: number | null;
  condition: string | null;
  trackingNo: string;
  carrier: string | null;
  photos: string[];
  weightG: number | null;
  size: { lengthCm: number; widthCm: number; heightCm: number } | null;
  attributes: string[] | null;
  note: string | null;
  storage: {
    days: number;
    freeDays: number;
    feePerDay: number;
    chargeableDays: number;
    feeSoFar: number;
    charged: boolean;
  };
  refundId: string | null;
  parcelId: string | null;
  version: number;
  createTime: number;
  updateTime: number;
  receiveTime: number | null;
  inspectTime: number | null;
  packTime: number | null;
  shipTime: number | null;
}

export interface History {
  from: string | null;
  to: string;
  cause: string;
  detail: string | null;
  time: number;
}

export type AdminItem = Item & { developId: string; userId: string; storageTransactionId: string | null };

export interface Exception {
  exceptionId: string;
  trackingNo: string;
  carrier: string | null;
  status: 'open' | 'matched' | 'returned';
  note: string | null;
  resolution: string | null;
  itemIds: string[];
  createTime: number;
  resolveTime: number | null;
}

export interface Receipt {
  trackingNo: string;
  outcome: 'received' | 'already_received' | 'exception';
  items: AdminItem[];
  exception: Exception | null;
}

export interface Listed {
  messageId: string;
  messageType: string;
  messagePlatform: number | null;
  objectId: string;
  version: number;
  messageBody: Record<string, unknown>;
}

const ajv = new Ajv2020({ strict: false, allErrors: true });

/** The schema as JSON with every object closed (`additionalProperties: false` where it says nothing). */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) out[k] = closed(v);
  if (out.type === 'object' && 'properties' in out && !('additionalProperties' in out))
    out.additionalProperties = false;
  return out;
}

const validators = new Map<string, ValidateFunction>();
function validatorOf(name: MessageKindName): ValidateFunction {
  let v = validators.get(name);
  if (!v) {
    v = ajv.compile(closed(JSON.parse(JSON.stringify(MESSAGE_BODIES[name].schema))) as object);
    validators.set(name, v);
  }
  return v;
}

/** Every message of the developer (as `who` lists them), oldest first, read page by page. */
export async function allMessages(server: TestServer, who: Credentials): Promise<Listed[]> {
  const out: Listed[] = [];
  for (let page = 1; ; page++) {
    const r = await server.signed<{ total: number; messages: Listed[] }>(
      who,
      'GET',
      `/open/message/list?pageNo=${page}&pageSize=50`,
    );
    expect(r.body.code, r.text).toBe(200);
    out.push(...r.body.data.messages);
    if (out.length >= r.body.data.total || r.body.data.messages.length === 0) break;
  }
  return out.reverse();
}

/**
 * The warehouse messages `who` can list, oldest first, each checked: its kind is documented (no platform), its body
 * validates against the kind's schema with every object closed, its event is the type's, and the versions of one
 * item grow. Answers them.
 */
export async function warehouseMessages(server: TestServer, who: Credentials): Promise<Listed[]> {
  const messages = (await allMessages(server, who)).filter((m) => m.messageType.startsWith('WAREHOUSE_ITEM_'));
  const last = new Map<string, number>();
  for (const m of messages) {
    const name = messageKindOf(m.messageType, m.messagePlatform);
    expect(name, `${m.messageType} on platform ${m.messagePlatform}`).toBeDefined();
    expect(m.messagePlatform).toBeNull();
    const validate = validatorOf(name as MessageKindName);
    const ok = validate(m.messageBody);
    expect(ok, `${name}: ${JSON.stringify(validate.errors)}\n${JSON.stringify(m.messageBody)}`).toBe(true);
    expect(m.messageType).toBe(`WAREHOUSE_ITEM_${String(m.messageBody.event).toUpperCase()}`);
    expect(m.messageBody.itemId).toBe(m.objectId);
    expect(m.messageBody.version).toBe(m.version);
    expect(m.version, `${m.messageType} of ${m.objectId}`).toBeGreaterThan(last.get(m.objectId) ?? 0);
    last.set(m.objectId, m.version);
  }
  return messages;
}

/** The message types about one item, oldest first. */
export const typesOf = (messages: Listed[], itemId: string) =>
  messages.filter((m) => m.objectId === itemId).map((m) => m.messageType);

/** A small real picture drawn by the image library, as base64 (a different one per shade). */
export async function photo(shade: number): Promise<{ base64: string; bytes: Buffer }> {
  const bytes = await sharp({ create: { width: 20, height: 14, channels: 3, background: { r: shade, g: 120, b: 40 } } })
    .png()
    .toBuffer();
  return { base64: bytes.toString('base64'), bytes };
}

/** An error answer with `code` (and, for 40001, naming `field`); `data` is null. */
export function expectCode(r: Reply, code: number, field?: string): void {
  expect(r.body.code, r.text).toBe(code);
  expect(r.status, r.text).toBe(Math.floor(code / 100));
  expect(r.body.data ?? null, r.text).toBeNull();
  if (field) expect(r.body.msg, r.text).toContain(`parameter ${field}:`);
}

/** The operator's warehouse calls, each answering its reply. */
export function operator(server: TestServer) {
  return {
    receive: (body: Record<string, unknown>) => server.admin<Receipt>('POST', '/admin/warehouse/receipts', body),
    item: (itemId: string) =>
      server.admin<AdminItem & { history: History[] }>('GET', `/admin/warehouse/items/${itemId}`),
    items: (query = '') => server.admin<{ list: AdminItem[]; total: number }>('GET', `/admin/warehouse/items${query}`),
    inspect: (itemId: string, body: Record<string, unknown>) =>
      server.admin<AdminItem & { history: History[] }>('POST', `/admin/warehouse/items/${itemId}/inspect`, body),
    returnItem: (itemId: string, body: Record<string, unknown> = {}) =>
      server.admin<AdminItem & { history: History[] }>('POST', `/admin/warehouse/items/${itemId}/return`, body),
    exceptions: (query = '') =>
      server.admin<{ list: Exception[]; total: number }>('GET', `/admin/warehouse/exceptions${query}`),
    resolve: (exceptionId: string, body: Record<string, unknown>) =>
      server.admin<{ exception: Exception; items: AdminItem[] }>(
        'POST',
        `/admin/warehouse/exceptions/${exceptionId}/resolve`,
        body,
      ),
  };
}

/** The developer's reads and W3. */
export function developer(server: TestServer) {
  return {
    w3: (who: Credentials, body: unknown) =>
      server.signed<{ orderId: string | null; created: number; items: Item[] }>(
        who,
        'POST',
        '/open/pp/logistics/updateLogisticInfo',
        { body },
      ),
    items: (who: Credentials, query = '') =>
      server.signed<{ list: Item[]; total: number }>(who, 'GET', `/open/pp/warehouse/items${query}`),
    item: (who: Credentials, itemId: string) =>
      server.signed<Item & { history: History[] }>(who, 'GET', `/open/pp/warehouse/items/${itemId}`),
  };
}
