import { createHash, randomBytes } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UPLOAD_MAX_BYTES } from '../server/src/domain/widget/uploads';
import { type S3StandIn, startS3StandIn } from './helpers/s3-server';
import { BACKEND, startTestServer, type TestServer, waitFor } from './helpers/test-server';

// Uploads stream through the server: the multipart body is parsed as it arrives and spooled to a
// temporary file (never whole in memory), then renamed into place on local disk or PUT to S3 as a
// stream; downloads stream back from the store. A file of the size limit round-trips on both stores.

const BOUNDARY = 'autocrm-test-boundary';
const head = (name: string, type: string) =>
  Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`,
  );
const tail = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
// A PDF by its signature (what the type sniffing reads), then random bytes up to `size`.
const pdf = (size: number) => Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(size - 9)]);
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const spools = async () => (await readdir(tmpdir())).filter((n) => n.startsWith('autocrm-upload-'));

describe.each(['local', 's3'] as const)(`streamed uploads, %s store (${BACKEND})`, (kind) => {
  let s: TestServer;
  let s3: S3StandIn | undefined;
  beforeAll(async () => {
    if (kind === 's3') s3 = await startS3StandIn();
    s = await startTestServer(s3 ? { env: s3.env() } : {});
  }, 120_000);
  afterAll(async () => {
    await s?.close();
    await s3?.close();
  });

  const upload = (body: RequestInit['body'], extra: Record<string, string> = {}) =>
    fetch(`${s.url}/api/v1/uploads`, {
      method: 'POST',
      headers: {
        cookie: s.admin.cookie,
        'x-csrf-token': s.admin.csrfToken,
        'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
        ...extra,
      },
      body,
      duplex: 'half',
    } as RequestInit);

  it('a file of the size limit round-trips byte for byte', async () => {
    const file = pdf(UPLOAD_MAX_BYTES);
    const res = await upload(Buffer.concat([head('big.pdf', 'application/pdf'), file, tail]));
    expect(res.status).toBe(201);
    const { url, size } = (await res.json()) as { url: string; size: number };
    expect(size).toBe(UPLOAD_MAX_BYTES);
    const id = /\/widget-uploads\/([^/]+)\//.exec(url)![1]!;
    if (s3) {
      // Sent as a stream with its length (an unsigned payload), not hashed whole in memory first.
      expect(s3.objects.get(id)?.body.length).toBe(UPLOAD_MAX_BYTES);
      expect(s3.refused).toBe(0);
    }
    const down = await fetch(url);
    expect(down.status).toBe(200);
    expect(down.headers.get('content-length')).toBe(String(UPLOAD_MAX_BYTES));
    expect(sha(new Uint8Array(await down.arrayBuffer()))).toBe(sha(file));
    expect(await spools()).toEqual([]);
  });

  it('is written to disk while it is still arriving', async () => {
    const before = new Set(await spools());
    const file = pdf(4 * 1024 * 1024);
    const half = file.subarray(0, 2 * 1024 * 1024);
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(head('slow.pdf', 'application/pdf'));
        controller.enqueue(half);
        await held;
        controller.enqueue(file.subarray(half.length));
        controller.enqueue(tail);
        controller.close();
      },
    });
    const pending = upload(body);
    // The first half sits in a spool file on disk before the client has sent the rest.
    await waitFor(async () => {
      for (const name of await spools()) {
        if (before.has(name)) continue;
        const st = await stat(path.join(tmpdir(), name)).catch(() => undefined);
        if (st && st.size >= half.length - 64 * 1024) return true;
      }
      return false;
    });
    release();
    const res = await pending;
    expect(res.status).toBe(201);
    const { url } = (await res.json()) as { url: string };
    expect(sha(new Uint8Array(await (await fetch(url)).arrayBuffer()))).toBe(sha(file));
  });

  it('one byte over the limit is refused and leaves nothing behind', async () => {
    const stored = s3 ? s3.objects.size : 0;
    // Streamed without a length, so only counting the bytes can stop it.
    const parts = [head('huge.pdf', 'application/pdf'), pdf(UPLOAD_MAX_BYTES + 1), tail];
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const p of parts) controller.enqueue(p);
        controller.close();
      },
    });
    const res = await upload(body);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
    if (s3) expect(s3.objects.size).toBe(stored);
    expect(await spools()).toEqual([]);
  });

  it('a form without the file field is a clear 400', async () => {
    const res = await upload(
      Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="other"\r\n\r\nx\r\n--${BOUNDARY}--\r\n`),
    );
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/field "file"/);
  });
});
