import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  asPonteMessage,
  MESSAGE_KINDS,
  MESSAGE_TYPES,
  messageObjectId,
  type PonteMessageKind,
  type PonteMessageOf,
} from '@ponte/sdk';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { MESSAGE_BODIES, type MessageKindName } from '../../../src/modules/messages/message-bodies.js';
import { callbackWebhooks, openApiOptions } from '../../../src/platform/http/openapi.js';
import type { Static } from '../../../src/platform/http/schema.js';
import { V2_MARKS } from '../../../src/platform/http/v2/annotations.js';

/**
 * The callback messages as the OpenAPI document's `webhooks` and as the SDK's types, both made from the schemas of
 * message-bodies.ts: one webhook per kind whose envelope takes that kind's body and no other, a valid OpenAPI 3.1
 * document, and SDK types equal to the schemas' (checked by the compiler: `tsc -p server`).
 */

const ROOT = path.resolve(import.meta.dirname, '../../../..');
const names = Object.keys(MESSAGE_BODIES) as MessageKindName[];
const webhooks = callbackWebhooks(MESSAGE_BODIES) as Record<string, { post: Operation }>;
const ajv = new Ajv2020({ strict: false, allErrors: true });

interface Operation {
  operationId: string;
  parameters: { name: string; in: string; required: boolean }[];
  requestBody: { required: boolean; content: { 'application/json': { schema: Envelope } } };
  responses: Record<string, { description: string }>;
}

interface Envelope {
  required: string[];
  properties: Record<string, Record<string, unknown>>;
}

/** The envelope a kind's webhook describes, with the kind's example as its body. */
function delivered(name: MessageKindName) {
  const { messageType, platform, example } = MESSAGE_BODIES[name];
  return {
    messageId: '917033449992540160',
    messageType,
    messagePlatform: platform,
    messageBody: example,
    timestamp: 1796474645000,
    version: 3,
  };
}

describe('the callback messages as OpenAPI webhooks', () => {
  it('has one signed POST per kind, named as the kind, with its type, platform and schema', () => {
    expect(Object.keys(webhooks)).toEqual(names);
    const ids = new Set<string>();
    for (const name of names) {
      const op = webhooks[name]?.post as Operation;
      ids.add(op.operationId);
      expect(op.parameters.map((p) => [p.name, p.in, p.required])).toEqual([
        ['webhook-id', 'header', true],
        ['webhook-timestamp', 'header', true],
        ['webhook-signature', 'header', true],
      ]);
      expect(Object.keys(op.responses).sort()).toEqual(['2XX', '410', 'default']);
      const envelope = op.requestBody.content['application/json'].schema;
      expect(op.requestBody.required).toBe(true);
      expect([...envelope.required].sort()).toEqual(
        ['messageBody', 'messageId', 'messagePlatform', 'messageType', 'timestamp', 'version'].sort(),
      );
      const kind = MESSAGE_BODIES[name];
      expect(envelope.properties.messageType?.const).toBe(kind.messageType);
      if (kind.platform === null) expect(envelope.properties.messagePlatform?.type).toBe('null');
      else expect(envelope.properties.messagePlatform?.const).toBe(kind.platform);
      const { examples, ...body } = envelope.properties.messageBody ?? {};
      expect(examples).toEqual([kind.example]);
      // The schema as the messages are sent: with v1 ids, so without the marks of the v2 twins (docs/adr/0019).
      const unmarked = (k: string, v: unknown) => ((V2_MARKS as readonly string[]).includes(k) ? undefined : v);
      expect(body).toEqual(JSON.parse(JSON.stringify(kind.schema, unmarked)));
    }
    expect(ids.size).toBe(names.length);
  });

  it('takes each kind’s example, and refuses another kind’s body or platform under the same type', () => {
    for (const name of names) {
      const schema = webhooks[name]?.post.requestBody.content['application/json'].schema as object;
      const validate = ajv.compile(schema);
      expect(validate(delivered(name)), `${name}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    }
    const alibabaPrice = ajv.compile(
      webhooks['1688_ORDER_BUYER_VIEW_ORDER_PRICE_MODIFY']?.post.requestBody.content['application/json']
        .schema as object,
    );
    const taobaoPrice = delivered('TAOBAO_ORDER_BUYER_VIEW_ORDER_PRICE_MODIFY');
    expect(alibabaPrice(taobaoPrice)).toBe(false);
    expect(alibabaPrice({ ...taobaoPrice, messagePlatform: 1 })).toBe(false);
    expect(alibabaPrice({ ...delivered('1688_ORDER_BUYER_VIEW_ORDER_PRICE_MODIFY'), messagePlatform: 0 })).toBe(false);
  });

  it('is what the document options carry when given the kinds, and a valid OpenAPI 3.1 document', async () => {
    const { openapi: options } = openApiOptions(MESSAGE_BODIES) as { openapi: Record<string, unknown> };
    expect(options.webhooks).toEqual(webhooks);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ponte-webhooks-'));
    try {
      const file = path.join(dir, 'openapi.json');
      fs.writeFileSync(file, JSON.stringify({ ...options, paths: {} }));
      const lint = await promisify(execFile)(
        process.execPath,
        [path.join(ROOT, 'node_modules/@redocly/cli/bin/cli.js'), 'lint', file],
        { cwd: ROOT, env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } },
      ).catch((err: { stdout: string; stderr: string }) => ({ ...err, failed: true }));
      expect('failed' in lint, `${lint.stdout}\n${lint.stderr}`).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** A and B are the same type, to the compiler: each assignable to the other. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type SdkMessage<K extends MessageKindName> = K extends PonteMessageKind ? PonteMessageOf<K> : never;
type Agrees<K extends MessageKindName> = Same<
  Static<(typeof MESSAGE_BODIES)[K]['schema']>,
  SdkMessage<K>['messageBody']
> &
  Same<(typeof MESSAGE_BODIES)[K]['messageType'], SdkMessage<K>['messageType']> &
  Same<(typeof MESSAGE_BODIES)[K]['platform'], SdkMessage<K>['messagePlatform']>;

// Fails to compile when the SDK's generated types are stale, or when a kind is missing on either side.
const sameKinds: Same<MessageKindName, PonteMessageKind> = true;
const sameMessages: { [K in MessageKindName]: Agrees<K> } = {
  TAOBAO_ORDER_BUYER_VIEW_ORDER_PRICE_MODIFY: true,
  TAOBAO_ORDER_BUYER_VIEW_ORDER_STATUS_CHANGE: true,
  '1688_ORDER_BUYER_VIEW_BUYER_MAKE': true,
  '1688_ORDER_BUYER_VIEW_ORDER_PRICE_MODIFY': true,
  '1688_ORDER_BUYER_VIEW_ORDER_PAY': true,
  '1688_ORDER_BUYER_VIEW_ANNOUNCE_SENDGOODS': true,
  '1688_ORDER_BUYER_VIEW_ORDER_COMFIRM_RECEIVEGOODS': true,
  '1688_ORDER_BUYER_VIEW_ORDER_SUCCESS': true,
  '1688_ORDER_BUYER_VIEW_ORDER_BUYER_CLOSE': true,
  '1688_ORDER_BUYER_VIEW_ORDER_SELLER_CLOSE': true,
  TAOBAO_ORDER_BUYER_VIEW_ORDER_BUYER_REFUND: true,
  '1688_ORDER_BUYER_VIEW_ORDER_BUYER_REFUND_IN_SALES': true,
  '1688_ORDER_BUYER_VIEW_ORDER_REFUND_AFTER_SALES': true,
  CALLBACK_VERIFICATION: true,
  CALLBACK_DISABLED: true,
  WAREHOUSE_ITEM_EXPECTED: true,
  WAREHOUSE_ITEM_RECEIVED: true,
  WAREHOUSE_ITEM_INSPECTED: true,
  WAREHOUSE_ITEM_EXCEPTION: true,
  WAREHOUSE_ITEM_RETURNED: true,
  PARCEL_BOOKED: true,
  PARCEL_PACKED: true,
  PARCEL_SHIPPED: true,
  PARCEL_DELIVERED: true,
  PARCEL_CANCELLED: true,
};

describe('the SDK’s message types', () => {
  it('agree with the schemas (the compiler checks the types; these the values)', () => {
    expect(sameKinds).toBe(true);
    expect(Object.keys(sameMessages).sort()).toEqual([...names].sort());
    expect(Object.entries(MESSAGE_KINDS).map(([name, k]) => [name, k.messageType, k.messagePlatform])).toEqual(
      names.map((name) => [name, MESSAGE_BODIES[name].messageType, MESSAGE_BODIES[name].platform]),
    );
    expect([...MESSAGE_TYPES].sort()).toEqual([...new Set(names.map((n) => MESSAGE_BODIES[n].messageType))].sort());
  });

  it('type a known message, narrow it by type and platform, and name the order it is about', () => {
    const seen: string[] = [];
    for (const name of names) {
      const message = asPonteMessage(delivered(name));
      expect(message, name).toEqual(delivered(name));
      if (!message) continue;
      // What a receiver writes: the type, then the platform where one type is sent on both.
      switch (message.messageType) {
        case 'ORDER_BUYER_VIEW_ORDER_PRICE_MODIFY':
          seen.push(
            message.messagePlatform === 0
              ? `taobao ${message.messageBody.purchaseOrderPriceDTO.totalPrice}`
              : `1688 ${message.messageBody.baseInfo.totalAmount}`,
          );
          break;
        case 'ORDER_BUYER_VIEW_ORDER_STATUS_CHANGE':
          seen.push(`taobao ${message.messageBody.status}`);
          break;
        case 'CALLBACK_VERIFICATION':
          seen.push(`verify ${message.messageBody.callbackUrl}`);
          break;
        case 'CALLBACK_DISABLED':
          seen.push(`disabled ${message.messageBody.reason}`);
          break;
        case 'ORDER_BUYER_VIEW_ORDER_BUYER_REFUND':
          seen.push(`taobao refund ${message.messageBody.refundOrderAggregate.refundOrder.refundStatus}`);
          break;
        case 'ORDER_BUYER_VIEW_ORDER_BUYER_REFUND_IN_SALES':
        case 'ORDER_BUYER_VIEW_ORDER_REFUND_AFTER_SALES':
          seen.push(`1688 refund ${message.messageBody.refundAction} ${message.messageBody.refund.disputeType}`);
          break;
        case 'WAREHOUSE_ITEM_EXPECTED':
        case 'WAREHOUSE_ITEM_RECEIVED':
        case 'WAREHOUSE_ITEM_INSPECTED':
        case 'WAREHOUSE_ITEM_EXCEPTION':
        case 'WAREHOUSE_ITEM_RETURNED':
          seen.push(`item ${message.messageBody.event} ${message.messageBody.status}`);
          break;
        case 'PARCEL_BOOKED':
        case 'PARCEL_PACKED':
        case 'PARCEL_SHIPPED':
        case 'PARCEL_DELIVERED':
        case 'PARCEL_CANCELLED':
          seen.push(`parcel ${message.messageBody.event} ${message.messageBody.status}`);
          break;
        default:
          seen.push(`1688 ${message.messageBody.baseInfo.status}`);
      }
      const objectId = messageObjectId(message);
      const body = MESSAGE_BODIES[name].example as {
        orderId?: string;
        baseInfo?: { id: string };
        refundId?: string;
        refundOrderAggregate?: { refundOrder: { refundId: string } };
        itemId?: string;
        parcelId?: string;
      };
      expect(objectId, name).toBe(
        body.itemId ??
          body.parcelId ??
          body.refundId ??
          body.refundOrderAggregate?.refundOrder.refundId ??
          body.orderId ??
          body.baseInfo?.id ??
          null,
      );
    }
    expect(seen).toEqual([
      'taobao 6500',
      'taobao WAIT_BUYER_CONFIRM_GOODS',
      '1688 waitbuyerpay',
      '1688 29430',
      '1688 waitsellersend',
      '1688 waitbuyerreceive',
      '1688 confirm_goods',
      '1688 success',
      '1688 cancel',
      '1688 cancel',
      'taobao refund 400',
      '1688 refund BUYER_APPLY_REFUND 1',
      '1688 refund BUYER_APPLY_REFUND 2',
      'verify https://reseller.example/ponte/callbacks',
      'disabled gone',
      'item expected expected',
      'item received received',
      'item inspected stored',
      'item exception exception',
      'item returned returned',
      'parcel booked booked',
      'parcel packed packed',
      'parcel shipped shipped',
      'parcel delivered delivered',
      'parcel cancelled cancelled',
    ]);
  });

  it('answer null for a message they do not know: another type, another platform, not a message', () => {
    const paid = delivered('1688_ORDER_BUYER_VIEW_ORDER_PAY');
    expect(asPonteMessage({ ...paid, messageType: 'ORDER_BUYER_VIEW_ORDER_BUYER_REFUND' })).toBeNull();
    expect(asPonteMessage({ ...paid, messageType: 'ORDER_BUYER_VIEW_ORDER_REFUND_IN_SALES' })).toBeNull();
    expect(asPonteMessage({ ...paid, messagePlatform: 0 })).toBeNull();
    expect(asPonteMessage({ ...paid, messagePlatform: '1' })).toBeNull();
    for (const value of [null, 'ORDER_BUYER_VIEW_ORDER_PAY', 1, []]) expect(asPonteMessage(value)).toBeNull();
  });
});
