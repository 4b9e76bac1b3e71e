import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalDiskStore } from '../server/src/storage/uploads/local-disk-store';

// An upload's metadata is rewritten when its message binds it to the conversation, while the visitor
// who just received that message may already be fetching the file. A reader must see the old object or
// the new one, never an empty or half-written file (which made the download a 404 once in CI).
describe('the local upload store replaces an object atomically', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'autocrm-store-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('readers never see a partial object while it is rewritten, and no temporary file is left or listed', async () => {
    const store = new LocalDiskStore(dir);
    const a = new Uint8Array(512 * 1024).fill(97);
    const b = new Uint8Array(768 * 1024).fill(98);
    await store.put('meta.json', a);
    let writing = true;
    const seen = new Set<number>();
    const reader = (async () => {
      while (writing) {
        const got = await store.get('meta.json');
        seen.add(got?.length ?? -1);
      }
    })();
    for (let i = 0; i < 60; i++) await store.put('meta.json', i % 2 ? a : b);
    writing = false;
    await reader;
    // Only the two whole sizes were ever read (not 0, not a part, never missing).
    expect([...seen].every((n) => n === a.length || n === b.length)).toBe(true);
    expect(readdirSync(dir)).toEqual(['meta.json']);
    const listed = [];
    for await (const o of store.list()) listed.push(o.key);
    expect(listed).toEqual(['meta.json']);
  });
});
