import type { Context } from 'hono';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config';
import { clientAddress } from './client-address';

// What rate limits and logs take as the client's address, for each way TRUST_PROXY can be set.
const request = (peer: string, xff?: string) =>
  ({
    env: { incoming: { socket: { remoteAddress: peer }, headers: xff ? { 'x-forwarded-for': xff } : {} } },
  }) as unknown as Context;
const trust = (value: string) => loadConfig({ TRUST_PROXY: value }).TRUST_PROXY;

describe('clientAddress', () => {
  it('without TRUST_PROXY uses the peer and ignores what the client claims', () => {
    expect(clientAddress(request('203.0.113.5', '1.2.3.4'), trust('0'))).toBe('203.0.113.5');
  });

  it('with a hop count takes the entry that many places left of the peer', () => {
    expect(clientAddress(request('10.0.0.2', '198.51.100.9'), trust('1'))).toBe('198.51.100.9');
    expect(clientAddress(request('10.0.0.2', '6.6.6.6, 198.51.100.9'), trust('1'))).toBe('198.51.100.9');
    expect(clientAddress(request('10.0.0.2', '198.51.100.9, 10.0.0.1'), trust('2'))).toBe('198.51.100.9');
  });

  it('with proxy addresses takes the rightmost entry that is not a proxy, whatever the client prepended', () => {
    const proxies = trust('10.0.0.0/8, 127.0.0.1, ::1');
    expect(clientAddress(request('127.0.0.1', '198.51.100.9, 10.1.2.3'), proxies)).toBe('198.51.100.9');
    expect(clientAddress(request('127.0.0.1', '6.6.6.6, 198.51.100.9, 10.1.2.3'), proxies)).toBe('198.51.100.9');
    // IPv4-mapped peers (a dual-stack listener) are judged as IPv4.
    expect(clientAddress(request('::ffff:10.0.0.7', '198.51.100.9'), proxies)).toBe('198.51.100.9');
    // A peer that is not a trusted proxy is the client, whatever it forwards.
    expect(clientAddress(request('203.0.113.5', '6.6.6.6'), proxies)).toBe('203.0.113.5');
    // A chain of nothing but proxies ends at its leftmost entry.
    expect(clientAddress(request('127.0.0.1', '10.0.0.3'), proxies)).toBe('10.0.0.3');
  });

  it('refuses a TRUST_PROXY that is neither a hop count nor addresses', () => {
    expect(() => loadConfig({ TRUST_PROXY: 'yes' })).toThrow(ConfigError);
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/99' })).toThrow(/TRUST_PROXY/);
    expect(() => loadConfig({ TRUST_PROXY: '11' })).toThrow(/TRUST_PROXY/);
  });
});
