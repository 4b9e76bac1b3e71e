import { describe, expect, it } from 'vitest';
import { fromOwnOrigin } from './own-origin';

describe('fromOwnOrigin (the agent socket and the collab upgrade share it)', () => {
  it('accepts no Origin, the Host over http or https, and the public URL; refuses any other site', () => {
    const host = 'crm.example.com:8080';
    expect(fromOwnOrigin({ origin: undefined, host, publicUrl: undefined })).toBe(true);
    expect(fromOwnOrigin({ origin: 'http://crm.example.com:8080', host, publicUrl: undefined })).toBe(true);
    expect(fromOwnOrigin({ origin: 'https://crm.example.com:8080', host, publicUrl: undefined })).toBe(true);
    expect(fromOwnOrigin({ origin: 'https://support.example.com', host, publicUrl: 'https://support.example.com/app' })).toBe(
      true,
    );
    expect(fromOwnOrigin({ origin: 'https://evil.example', host, publicUrl: 'https://support.example.com' })).toBe(false);
    expect(fromOwnOrigin({ origin: 'https://crm.example.com', host, publicUrl: undefined })).toBe(false);
    expect(fromOwnOrigin({ origin: 'https://evil.example', host: undefined, publicUrl: undefined })).toBe(false);
  });
});
