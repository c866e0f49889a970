import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  iopPushSignature,
  iopStringToSign,
  signIopRequest,
  verifyIopPush,
} from '../../../src/providers/taobao-global/sign.js';

/** The expectation, computed here without the code under test. */
function hmacHex(algorithm: 'sha256' | 'md5', secret: string, text: string): string {
  return createHmac(algorithm, secret).update(text, 'utf8').digest('hex');
}

describe('IOP request signature', () => {
  it('reproduces the documented worked example', () => {
    const params = {
      app_key: '123456',
      access_token: 'test',
      timestamp: '1517820392000',
      sign_method: 'sha256',
      order_id: '1234',
    };
    expect(iopStringToSign('/order/get', params)).toBe(
      '/order/getaccess_tokentestapp_key123456order_id1234sign_methodsha256timestamp1517820392000',
    );
    expect(signIopRequest({ apiPath: '/order/get', params, appSecret: 'helloworld' })).toBe(
      '4190D32361CFB9581350222F345CB77F3B19F0E31D162316848A2C1FFD5FAB4A',
    );
  });

  it('prefixes the API path and sorts by name in ASCII order, upper case before lower case', () => {
    const params = { b: '2', B: '1', a_b: '3', ab: '4', a: 'z' };
    const text = '/traffic/item/searchB1a' + 'z' + 'a_b3' + 'ab4' + 'b2';
    expect(iopStringToSign('/traffic/item/search', params)).toBe(text);
    expect(signIopRequest({ apiPath: '/traffic/item/search', params, appSecret: 's3cret' })).toBe(
      hmacHex('sha256', 's3cret', text).toUpperCase(),
    );
  });

  it('sorts by the name alone, not by name and value together', () => {
    // Sorting whole "name+value" strings would put "ab1" before "az"; the gateway sorts names.
    const params = { a: 'z', ab: '1' };
    expect(iopStringToSign('/x', params)).toBe('/xazab1');
    expect(signIopRequest({ apiPath: '/x', params, appSecret: 'k' })).toBe(
      hmacHex('sha256', 'k', '/xazab1').toUpperCase(),
    );
  });

  it('leaves out sign, empty and missing values, and file parameters', () => {
    const params = {
      sign: 'ABCDEF',
      keyword: 'dress',
      empty: '',
      missing: undefined,
      nothing: null,
      image: new Uint8Array([1, 2, 3]),
      page_no: '1',
    };
    const text = '/upload/imagekeyworddresspage_no1';
    expect(iopStringToSign('/upload/image', params)).toBe(text);
    expect(signIopRequest({ apiPath: '/upload/image', params, appSecret: 'helloworld' })).toBe(
      hmacHex('sha256', 'helloworld', text).toUpperCase(),
    );
  });

  it('appends the raw body after the parameters when there is one', () => {
    const params = { app_key: '123456', timestamp: '1700000000000', sign_method: 'sha256' };
    const body = '{"purchase_id":200002638011000001,"note":"淘宝"}';
    const text = `/purchase/order/createapp_key123456sign_methodsha256timestamp1700000000000${body}`;
    expect(iopStringToSign('/purchase/order/create', params, body)).toBe(text);
    expect(signIopRequest({ apiPath: '/purchase/order/create', params, appSecret: 'helloworld', body })).toBe(
      hmacHex('sha256', 'helloworld', text).toUpperCase(),
    );
  });

  it('signs UTF-8 text and JSON-text values as they are sent', () => {
    const params = { receiver: '{"name":"张三","city":"杭州"}', keyword: '连衣裙' };
    const text = '/purchase/order/renderkeyword连衣裙receiver{"name":"张三","city":"杭州"}';
    expect(signIopRequest({ apiPath: '/purchase/order/render', params, appSecret: '密钥' })).toBe(
      hmacHex('sha256', '密钥', text).toUpperCase(),
    );
  });

  it('signs with HMAC-MD5 for the hmac method', () => {
    const params = { app_key: '123456', sign_method: 'hmac', timestamp: '1517820392000' };
    const text = '/order/getapp_key123456sign_methodhmactimestamp1517820392000';
    expect(signIopRequest({ apiPath: '/order/get', params, appSecret: 'helloworld', signMethod: 'hmac' })).toBe(
      hmacHex('md5', 'helloworld', text).toUpperCase(),
    );
  });
});

describe('IOP push signature', () => {
  const body =
    '{"seller_id":"2100000927014","message_type":3,"data":{"purchase_id":200002638011,"status":"WAIT_SELLER_SEND_GOODS"},"timestamp":1650939687,"site":"taobao_hk"}';

  it('reproduces the reference vector, in lower-case hex', () => {
    expect(iopPushSignature('123456', 'helloworld', body)).toBe(
      'f7bfd470ff8fcc0affb03a781545ec50ebd94e0462ea1ca1f98f8fc15cb1873c',
    );
  });

  it('is HMAC-SHA256 keyed by the secret over the App Key then the body', () => {
    const other = '{"message_type":16,"data":{"mp_id":2048057995392326}}';
    expect(iopPushSignature('app-9', 's', other)).toBe(hmacHex('sha256', 's', `app-9${other}`));
    expect(iopPushSignature('app-9', 's', Buffer.from(other))).toBe(hmacHex('sha256', 's', `app-9${other}`));
  });

  it('accepts the platform signature and refuses a tampered body, key or header', () => {
    const authorization = hmacHex('sha256', 'helloworld', `123456${body}`);
    const base = { appKey: '123456', appSecret: 'helloworld', rawBody: body };
    expect(verifyIopPush({ ...base, authorization })).toBe(true);
    expect(verifyIopPush({ ...base, authorization: authorization.toUpperCase() })).toBe(true);
    expect(
      verifyIopPush({ ...base, rawBody: body.replace('WAIT_SELLER_SEND_GOODS', 'TRADE_CLOSED'), authorization }),
    ).toBe(false);
    expect(verifyIopPush({ ...base, appKey: '654321', authorization })).toBe(false);
    expect(verifyIopPush({ ...base, authorization: `${authorization.slice(0, 63)}0` })).toBe(
      authorization.endsWith('0'),
    );
    expect(verifyIopPush({ ...base, authorization: undefined })).toBe(false);
    expect(verifyIopPush({ ...base, authorization: 'not-hex' })).toBe(false);
  });
});
