import { describe, expect, it } from '@jest/globals';
import { customerButton, decodeValue, modalContext, pageButton } from '../../src/slack/values.js';

const ID = 'a1f3c2d4-1111-4a6b-9c3d-000000000001';

describe('customer button values', () => {
  it('carry the customer id only, and round-trip it (lower-cased)', () => {
    const value = customerButton.encode({ customerId: ID });
    expect(value).toBe(`{"c":"${ID}"}`);
    expect(decodeValue(customerButton, value)).toEqual({ customerId: ID });
    expect(decodeValue(customerButton, customerButton.encode({ customerId: ID.toUpperCase() }))).toEqual({
      customerId: ID,
    });
  });

  it('carry the looked-up order of a card from an order lookup, so Refresh and Share keep its mark', () => {
    const ORDER = 'C0FFEE00-AAAA-4BBB-8CCC-000000000101';
    const value = customerButton.encode({ customerId: ID, orderId: ORDER });
    expect(value).toBe(`{"c":"${ID}","o":"${ORDER}"}`);
    expect(decodeValue(customerButton, value)).toEqual({ customerId: ID, orderId: ORDER.toLowerCase() });
    // A card posted before orders were marked still works.
    expect(decodeValue(customerButton, `{"c":"${ID}"}`)).toEqual({ customerId: ID });
  });

  it('reject values this app did not write', () => {
    for (const bad of [
      undefined,
      '',
      'x',
      '{"c":"jane@example.com"}',
      '{"c":1}',
      '[1]',
      '{"c":"../../x"}',
      `{"c":"${ID}","o":"jane@example.com"}`,
    ]) {
      expect(decodeValue(customerButton, bad)).toBeUndefined();
    }
  });
});

describe('page button values', () => {
  it('round-trip and reject junk', () => {
    const value = pageButton.encode({ token: 'abcdefgh12', page: 4 });
    expect(value).toBe('{"t":"abcdefgh12","p":4}');
    expect(decodeValue(pageButton, value)).toEqual({ token: 'abcdefgh12', page: 4 });
    for (const bad of [undefined, '', '{}', '{"t":"x","p":1}', '{"t":"abcdefgh12","p":0}', 'nope']) {
      expect(decodeValue(pageButton, bad)).toBeUndefined();
    }
  });
});

describe('modal context (private_metadata)', () => {
  it('round-trips, and rejects anything else', () => {
    const context = { channel: 'C0SUPPORT', threadTs: '1700000000.000100', responseUrl: 'https://hooks.slack.com/x/y' };
    expect(decodeValue(modalContext, modalContext.encode(context))).toEqual(context);
    expect(decodeValue(modalContext, modalContext.encode({ channel: 'C1', threadTs: '1.2' }))).toEqual({
      channel: 'C1',
      threadTs: '1.2',
    });
    const bad = [
      undefined,
      '',
      'x',
      '{"ch":"<!channel>","ts":"1.2"}',
      '{"ch":"C1","ts":"now"}',
      '{"ch":"C1","ts":"1.2","ru":"javascript:x"}',
    ];
    for (const value of bad) expect(decodeValue(modalContext, value)).toBeUndefined();
  });
});
