import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { AwsClient } from 'aws4fetch';
import type { OpenedObject, StoredObject, UploadStore } from './upload-store';

export interface S3StoreOptions {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** `https://endpoint/bucket/key` (MinIO, most self-hosted stores) rather than `https://bucket.endpoint/key`. */
  pathStyle: boolean;
  /** Optional key prefix inside the bucket, so several deployments can share one. */
  prefix?: string;
}

const xmlDecode = (s: string) =>
  s.replace(/&(lt|gt|quot|apos|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e]!);

/**
 * Uploads in an S3-compatible bucket, so every host serves every file. Requests are signed with
 * SigV4 by aws4fetch (small, no dependencies); the few XML answers we read (ListObjectsV2) are flat.
 */
export class S3Store implements UploadStore {
  readonly kind = 's3';
  private readonly client: AwsClient;
  private readonly base: string;
  private readonly prefix: string;

  constructor(options: S3StoreOptions) {
    this.client = new AwsClient({
      accessKeyId: options.accessKeyId,
      secretAccessKey: options.secretAccessKey,
      region: options.region,
      service: 's3',
    });
    const endpoint = new URL(options.endpoint);
    this.base = options.pathStyle
      ? `${endpoint.origin}/${encodeURIComponent(options.bucket)}`
      : `${endpoint.protocol}//${options.bucket}.${endpoint.host}`;
    this.prefix = options.prefix ?? '';
  }

  private url(key: string): string {
    return `${this.base}/${encodeURIComponent(this.prefix + key).replace(/%2F/g, '/')}`;
  }

  private async fail(op: string, key: string, res: Response): Promise<never> {
    const body = await res.text().catch(() => '');
    const code = /<Code>([^<]+)<\/Code>/.exec(body)?.[1] ?? '';
    throw new Error(`S3 ${op} ${key} failed: ${res.status} ${code}`.trim());
  }

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    const res = await this.client.fetch(this.url(key), {
      method: 'PUT',
      body: bytes,
      headers: { 'content-type': contentType },
    });
    if (!res.ok) await this.fail('PUT', key, res);
    await res.arrayBuffer();
  }

  async putFile(key: string, file: string, size: number, contentType: string): Promise<void> {
    // Streamed from the spooled file with its known length; a stream cannot be hashed before it is
    // sent, so the payload goes unsigned (S3 allows it; the headers and URL are still signed, and TLS
    // protects the bytes on the way).
    const res = await this.client.fetch(this.url(key), {
      method: 'PUT',
      body: Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>,
      headers: { 'content-type': contentType, 'content-length': String(size), 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
    });
    if (!res.ok) await this.fail('PUT', key, res);
    await res.arrayBuffer();
  }

  async open(key: string): Promise<OpenedObject | undefined> {
    const res = await this.client.fetch(this.url(key), { method: 'GET' });
    if (res.status === 404) {
      await res.arrayBuffer();
      return undefined;
    }
    if (!res.ok || !res.body) await this.fail('GET', key, res);
    return { body: res.body as ReadableStream<Uint8Array>, size: Number(res.headers.get('content-length') ?? 0) };
  }

  async get(key: string): Promise<Buffer | undefined> {
    const res = await this.client.fetch(this.url(key), { method: 'GET' });
    if (res.status === 404) {
      await res.arrayBuffer();
      return undefined;
    }
    if (!res.ok) await this.fail('GET', key, res);
    return Buffer.from(await res.arrayBuffer());
  }

  async delete(key: string): Promise<void> {
    const res = await this.client.fetch(this.url(key), { method: 'DELETE' });
    if (!res.ok && res.status !== 404) await this.fail('DELETE', key, res);
    await res.arrayBuffer();
  }

  async *list(): AsyncIterable<StoredObject> {
    let token: string | undefined;
    do {
      const q = new URLSearchParams({ 'list-type': '2', 'max-keys': '1000' });
      if (this.prefix) q.set('prefix', this.prefix);
      if (token) q.set('continuation-token', token);
      const res = await this.client.fetch(`${this.base}/?${q}`, { method: 'GET' });
      if (!res.ok) await this.fail('LIST', this.prefix || '/', res);
      const xml = await res.text();
      for (const m of xml.matchAll(/<Contents>([\s\S]*?)<\/Contents>/g)) {
        const key = xmlDecode(/<Key>([^<]*)<\/Key>/.exec(m[1]!)?.[1] ?? '');
        const modified = /<LastModified>([^<]*)<\/LastModified>/.exec(m[1]!)?.[1];
        if (key) yield { key: key.slice(this.prefix.length), lastModified: new Date(modified ?? 0) };
      }
      token = /<IsTruncated>true<\/IsTruncated>/.test(xml)
        ? xmlDecode(/<NextContinuationToken>([^<]*)<\/NextContinuationToken>/.exec(xml)?.[1] ?? '')
        : undefined;
    } while (token);
  }
}
