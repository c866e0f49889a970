import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  apiPath,
  signatureFactor,
  signPush,
  signRequest,
  verifyPush,
  verifyRequest,
} from '../../../src/providers/aop/sign.js';

/** The expectation, computed here from the rule and nothing else: HMAC-SHA1, uppercase hex. */
function hmac(secret: string, text: string): string {
  return createHmac('sha1', Buffer.from(secret, 'utf8')).update(Buffer.from(text, 'utf8')).digest('hex').toUpperCase();
}

describe('AOP request signature', () => {
  it('gives the documented example: param2/1/system/currentTime/1000000, b=2&a=1, test123', () => {
    const path = 'param2/1/system/currentTime/1000000';
    expect(signatureFactor(path, { b: '2', a: '1' })).toBe('param2/1/system/currentTime/1000000a1b2');
    expect(signRequest(path, { b: '2', a: '1' }, 'test123')).toBe('33E54F4F7B989E3E0E912D3FBD2F1A03CA7CCE88');
  });

  it('gives the published second vector, system parameters included (_aop_* sorts before access_token)', () => {
    const path = apiPath({ namespace: 'com.alibaba.trade', name: 'alibaba.trade.getBuyerOrderList' }, '1234567');
    expect(path).toBe('param2/1/com.alibaba.trade/alibaba.trade.getBuyerOrderList/1234567');
    const params = {
      access_token: 'tok-abc',
      _aop_datatype: 'application/json',
      _aop_timestamp: '1700000000000',
      page: '1',
      pageSize: '20',
    };
    expect(signRequest(path, params, 'secretXYZ')).toBe('D01C12C8FCD4B59367FFDD51E1DEC31C7C237A4C');
  });

  it('sorts key+value strings as whole strings, not by key: {a: "z", ab: "1"} signs "ab1az"', () => {
    const path = 'param2/1/ns/api.name/55';
    expect(signatureFactor(path, { a: 'z', ab: '1' })).toBe(`${path}ab1az`);
    expect(signRequest(path, { a: 'z', ab: '1' }, 's3cret')).toBe(hmac('s3cret', `${path}ab1az`));
    // Sorting by key would have given azab1: a different signature.
    expect(signRequest(path, { a: 'z', ab: '1' }, 's3cret')).not.toBe(hmac('s3cret', `${path}azab1`));
    expect(signRequest('', { b: '1', ab: '2', a: '3', aa: '4' }, 's')).toBe(hmac('s', 'a3aa4ab2b1'));
  });

  it('leaves out byte parameters (multipart files) and _aop_signature itself', () => {
    const path = 'param2/1/com.alibaba.trade/alibaba.trade.uploadRefundVoucher/777';
    const params = {
      imageData: new Uint8Array([0xff, 0xd8, 0xff]),
      access_token: 'tok',
      _aop_timestamp: '1',
      _aop_signature: 'WHATEVER',
    };
    expect(signRequest(path, params, 'k')).toBe(hmac('k', `${path}_aop_timestamp1access_tokentok`));
  });

  it('signs raw values (not URL-encoded) as UTF-8, JSON text included', () => {
    const path = 'param2/1/com.alibaba.fenxiao.crossborder/product.search.keywordQuery/42';
    const query = '{"keyword":"连衣裙 red&blue","beginPage":1,"pageSize":20,"country":"en"}';
    expect(signRequest(path, { offerQueryParam: query, access_token: 't+/=' }, '密钥')).toBe(
      hmac('密钥', `${path}access_tokent+/=offerQueryParam${query}`),
    );
  });

  it('orders by code point (UTF-8 bytes), as the official SDKs do, not by UTF-16 units', () => {
    // U+FFFD sorts before U+1F600 by code point; by UTF-16 units the emoji's surrogate (D83D) comes first.
    const factor = signatureFactor('', { x: '\u{1F600}', y: '1', [`k${'\uFFFD'}`]: 'a', [`k${'\u{1F600}'}`]: 'b' });
    expect(factor).toBe(`k\uFFFDak\u{1F600}bx\u{1F600}y1`);
  });

  it('verifies a request signature strictly: uppercase hex, every signed value as sent', () => {
    const path = 'param2/1/ns/api/9';
    const params = { a: '1', _aop_timestamp: '2' };
    const good = { ...params, _aop_signature: hmac('sec', `${path}_aop_timestamp2a1`) };
    expect(verifyRequest(path, good, 'sec')).toBe(true);
    expect(verifyRequest(path, { ...good, a: '2' }, 'sec')).toBe(false);
    expect(verifyRequest(path, good, 'other')).toBe(false);
    expect(verifyRequest(path, { ...good, _aop_signature: good._aop_signature.toLowerCase() }, 'sec')).toBe(false);
    expect(verifyRequest(path, params, 'sec')).toBe(false);
  });
});

describe('AOP push signature', () => {
  it('is the request rule with an empty path over the posted fields: HMAC("message" + message)', () => {
    const message = '{"msgId":100000000000000001,"type":"ORDER_BUYER_VIEW_ORDER_PAY","data":{"orderId":1}}';
    expect(signPush({ message }, 'appsecret')).toBe(hmac('appsecret', `message${message}`));
  });

  it('gives the published callback vector', () => {
    const fields = {
      msgId: '1001',
      gmtBorn: '1700000000000',
      type: 'ORDER_CHANGED',
      userInfo: 'm1',
      data: '{"k":"v"}',
    };
    expect(signPush(fields, 'secretXYZ')).toBe('4B20205134EA09C4C8D29CCAC26F6C179EB72C8E');
  });

  it('verifies a pushed form, without regard to the case of the hex, and refuses a tampered one', () => {
    const message = '{"msgId":"1","type":"T"}';
    const signature = hmac('s', `message${message}`);
    expect(verifyPush({ message, _aop_signature: signature }, 's')).toBe(true);
    expect(verifyPush({ message, _aop_signature: signature.toLowerCase() }, 's')).toBe(true);
    expect(verifyPush({ message: message.replace('"1"', '"2"'), _aop_signature: signature }, 's')).toBe(false);
    expect(verifyPush({ message, _aop_signature: signature }, 'not-s')).toBe(false);
    expect(verifyPush({ message }, 's')).toBe(false);
    expect(verifyPush({ message, _aop_signature: '' }, 's')).toBe(false);
  });
});
