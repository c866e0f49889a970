import { expect } from 'vitest';
import { OpaqueIds, type OpaqueKind } from '../../../src/platform/crypto/opaque-ids.js';
import type { Reply, TestServer } from '../../harness.js';

/** What an opaque id looks like on the wire. */
export const OPAQUE = /^[A-Za-z0-9_-]{22,}$/;

/** `value` is the opaque id of the v1 id `v1`, not the v1 id itself. */
export function expectOpaque(server: TestServer, kind: OpaqueKind, value: unknown, v1: string | number): void {
  expect(value).toMatch(OPAQUE);
  expect(value).not.toBe(String(v1));
  expect(value).toBe(server.deps.opaqueIds.encode(kind, String(v1)));
}

/** The v1 id behind an answer's id: decoded when opaque, else as given (an answer not yet in v2 terms). */
export function v1Of(server: TestServer, kind: OpaqueKind, value: string | number): string {
  const text = String(value);
  if (!OpaqueIds.looksOpaque(text)) return text;
  const id = server.deps.opaqueIds.decode(kind, text);
  expect(id, `${text} is no ${kind} id`).not.toBeNull();
  return id as string;
}

/** The opaque id with one character changed: it has the shape of one and names nothing. */
export function tamper(opaque: string): string {
  const c = opaque[5] === 'A' ? 'B' : 'A';
  return `${opaque.slice(0, 5)}${c}${opaque.slice(6)}`;
}

/** A 40401 answer. */
export function expectNotFound(r: Reply): void {
  expect(r.body.code, r.text).toBe(40401);
  expect(r.status, r.text).toBe(404);
}

/** A successful answer's data. */
export function ok<T>(r: Reply<T>): T {
  expect(r.body.code, r.text).toBe(200);
  return r.body.data;
}

/** A 1688 cart item as v2 answers it (`AlibabaCartV2VO`'s `cartItemInfos`). */
export interface V2CartItem {
  id: string;
  offerMapId: string;
  specId: string | null;
  skuId: string | null;
  itemTitle: string;
  itemPic: string;
  price: number;
  quantity: number;
  amountOnSale: number;
  properties: unknown[];
  reason: string | null;
  sellerOpenId?: string | null;
  sellerNickName?: string;
}

export interface V2CartList {
  enableList: { sellerOpenId: string | null; sellerNickName: string; cartItemInfos: V2CartItem[] }[];
  disableList: V2CartList['enableList'];
}

/** 1688's order preview (either version: only the ids differ). */
export interface Preview {
  orderPreviewResuslt: {
    sellerOpenId: string | null;
    sumPayment: number;
    sumCarriage: number;
    status: boolean;
    cargoList: {
      offerId: string | number;
      specId: string | null;
      quantity: number;
      amount: number;
      problem: string | null;
    }[];
  }[];
  success: boolean;
  errorCode: string | null;
}

export interface CreateResult {
  orderId: string;
  totalSuccessAmount: number;
  postFee: number;
  failedOfferList: unknown[];
}

export interface BatchResult {
  successOrderList: ({ sellerOpenId: string; offerIds: string[] } & CreateResult)[];
  failedOrderList: { sellerOpenId: string; offerIds: string[]; errorCode: number; errorMsg: string }[];
}

/** An order detail (either version), the fields the tests read. */
export interface OrderView {
  baseInfo: {
    id: string;
    idOfStr: string;
    status: string;
    totalAmount: number;
    payState: string;
    closeReason: string | null;
  };
  productItems: {
    subItemID: string;
    subItemIDString: string;
    productID: string | number;
    skuID: string | number | null;
    specId: string | null;
    quantity: number;
    logisticsStatus: number;
  }[];
  nativeLogistics: { logisticsItems: { logisticsBillNo: string; subItemIds: string }[] };
  extAttributes: { key: string; value: string }[];
}

export interface Trace {
  logisticsTrace: { orderId: string; logisticsBillNo: string; subItemIds: string[]; logisticsSteps: unknown[] }[];
}
