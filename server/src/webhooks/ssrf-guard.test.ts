import { AppError } from '@autocrm/shared';
import { describe, expect, it } from 'vitest';
import { SsrfGuard } from './ssrf-guard';

const LOOPBACK = ['127.0.0.1', '127.255.255.254', '::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '0:0:0:0:0:ffff:7f00:1'];
const RFC1918 = [
  '10.0.0.1',
  '10.255.255.255',
  '172.16.0.1',
  '172.31.255.255',
  '192.168.0.1',
  '192.168.255.255',
  '::ffff:10.0.0.5',
  '::ffff:c0a8:101',
];
const CGNAT = ['100.64.0.1', '100.127.255.255'];
const ULA = ['fc00::1', 'fd12:3456:789a::1'];
const LINK_LOCAL = ['169.254.169.254', '169.254.0.1', 'fe80::1', 'fe80::abcd:1234', '::ffff:169.254.169.254', '::ffff:a9fe:a9fe'];
const OTHER_RESERVED = [
  '0.0.0.0',
  '0.1.2.3',
  '224.0.0.1',
  '239.255.255.250',
  '240.0.0.1',
  '255.255.255.255',
  '198.18.0.1',
  '192.0.0.8',
  '::',
  'ff02::1',
];
const PUBLIC = [
  '93.184.216.34',
  '8.8.8.8',
  '1.1.1.1',
  '172.15.255.255',
  '172.32.0.1',
  '100.63.255.255',
  '100.128.0.1',
  '11.0.0.1',
  '169.255.0.1',
  '::ffff:93.184.216.34',
  '2606:2800:220:1:248:1893:25c8:1946',
  '2606:4700:4700::1111',
];

// IPv6 forms that embed an IPv4 address outside ::ffff: (NAT64, 6to4, IPv4-compatible, Teredo).
const EMBEDDED_PRIVATE = [
  '64:ff9b::7f00:1',
  '64:ff9b::127.0.0.1',
  '64:ff9b::a9fe:a9fe',
  '64:ff9b::10.0.0.5',
  '64:ff9b:1::a00:5',
  '2002:7f00:1::',
  '2002:a9fe:a9fe::1',
  '2002:c0a8:101:1::1',
  '::127.0.0.1',
  '::7f00:1',
  '::169.254.169.254',
  '::a00:5',
  '2001:0:4136:e378:8000:63bf:80ff:fffe',
];
const EMBEDDED_PUBLIC = ['64:ff9b::5db8:d822', '2002:5db8:d822::1', '::93.184.216.34'];

describe('SsrfGuard.isAllowedAddress', () => {
  const strict = new SsrfGuard('');

  it.each(EMBEDDED_PRIVATE)('refuses %s, which carries a private IPv4 address', (address) => {
    expect(strict.isAllowedAddress(address)).toBe(false);
  });

  it.each(EMBEDDED_PUBLIC)('judges %s as the public IPv4 address it carries', (address) => {
    expect(strict.isAllowedAddress(address)).toBe(true);
  });

  it.each([...LOOPBACK, ...RFC1918, ...CGNAT, ...ULA, ...LINK_LOCAL, ...OTHER_RESERVED])('refuses %s by default', (address) => {
    expect(strict.isAllowedAddress(address)).toBe(false);
  });

  it.each(PUBLIC)('allows the public address %s', (address) => {
    expect(strict.isAllowedAddress(address)).toBe(true);
  });

  it('`loopback` opens loopback only', () => {
    const g = new SsrfGuard('loopback');
    for (const a of LOOPBACK) expect(g.isAllowedAddress(a), a).toBe(true);
    for (const a of [...RFC1918, ...CGNAT, ...ULA, ...LINK_LOCAL, ...OTHER_RESERVED])
      expect(g.isAllowedAddress(a), a).toBe(false);
    for (const a of PUBLIC) expect(g.isAllowedAddress(a), a).toBe(true);
  });

  it('`private` opens RFC 1918, CGNAT and ULA but not loopback, and link-local stays refused', () => {
    const g = new SsrfGuard('private');
    for (const a of [...RFC1918, ...CGNAT, ...ULA]) expect(g.isAllowedAddress(a), a).toBe(true);
    for (const a of [...LOOPBACK, ...LINK_LOCAL, ...OTHER_RESERVED]) expect(g.isAllowedAddress(a), a).toBe(false);
    const both = new SsrfGuard(' loopback , private ');
    for (const a of [...LOOPBACK, ...RFC1918, ...ULA]) expect(both.isAllowedAddress(a), a).toBe(true);
    for (const a of [...LINK_LOCAL, ...OTHER_RESERVED]) expect(both.isAllowedAddress(a), a).toBe(false);
  });

  it('explicit CIDRs open exactly those ranges', () => {
    const g = new SsrfGuard('10.1.2.0/24,192.168.7.7,fd00:1::/32');
    expect(g.isAllowedAddress('10.1.2.0')).toBe(true);
    expect(g.isAllowedAddress('10.1.2.255')).toBe(true);
    expect(g.isAllowedAddress('::ffff:10.1.2.3')).toBe(true);
    expect(g.isAllowedAddress('10.1.3.0')).toBe(false);
    expect(g.isAllowedAddress('10.0.0.1')).toBe(false);
    expect(g.isAllowedAddress('192.168.7.7')).toBe(true); // a bare address is a /32
    expect(g.isAllowedAddress('192.168.7.8')).toBe(false);
    expect(g.isAllowedAddress('fd00:1::5')).toBe(true);
    expect(g.isAllowedAddress('fd00:2::5')).toBe(false);
    expect(g.isAllowedAddress('127.0.0.1')).toBe(false);
    expect(g.isAllowedAddress('169.254.169.254')).toBe(false);
    // An explicit CIDR is the operator's deliberate choice, even inside a normally blocked range.
    expect(new SsrfGuard('169.254.10.0/24').isAllowedAddress('169.254.10.1')).toBe(true);
    expect(new SsrfGuard('169.254.10.0/24').isAllowedAddress('169.254.169.254')).toBe(false);
  });

  it('rejects a malformed allow-list at start-up', () => {
    expect(() => new SsrfGuard('everything')).toThrow(/WEBHOOK_ALLOW_PRIVATE/);
    expect(() => new SsrfGuard('10.0.0/8')).toThrow(/WEBHOOK_ALLOW_PRIVATE/);
    expect(() => new SsrfGuard('')).not.toThrow();
    expect(() => new SsrfGuard(' , ')).not.toThrow();
  });
});

describe('SsrfGuard.assertAllowedUrl', () => {
  const strict = new SsrfGuard('');
  const refusal = async (url: string, guard = strict) => {
    try {
      await guard.assertAllowedUrl(url);
    } catch (err) {
      return err;
    }
    return undefined;
  };

  it.each([
    'http://127.0.0.1:8080/x',
    'http://[::1]/x',
    'http://[::ffff:127.0.0.1]/x',
    'http://10.0.0.5/x',
    'https://169.254.169.254/latest/meta-data',
    'http://2130706433/x',
    'http://0x7f000001/x',
    'http://127.1/x',
    'http://localhost/x',
    'http://localhost./x',
  ])('refuses %s with a validation error naming url', async (url) => {
    const err = await refusal(url);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('validation_failed');
    expect((err as AppError).issues?.map((i) => i.path)).toEqual(['url']);
  });

  it('refuses a host that does not resolve', async () => {
    const err = await refusal('http://no-such-host.invalid/x');
    expect((err as AppError).code).toBe('validation_failed');
    expect((err as AppError).message).toMatch(/does not resolve/);
  });

  it('allows public IP literals and, with `loopback`, localhost', async () => {
    expect(await refusal('https://93.184.216.34/hook')).toBeUndefined();
    expect(await refusal('http://[2606:4700:4700::1111]/hook')).toBeUndefined();
    const loop = new SsrfGuard('loopback');
    expect(await refusal('http://127.0.0.1:9/x', loop)).toBeUndefined();
    expect(await refusal('http://localhost:9/x', loop)).toBeUndefined();
    expect(await refusal('http://169.254.169.254/x', loop)).toBeInstanceOf(AppError);
  });
});
