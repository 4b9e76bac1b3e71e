import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { OpenedObject, StoredObject, UploadStore } from './upload-store';

const missing = (err: unknown) => (err as NodeJS.ErrnoException).code === 'ENOENT';

/** Uploads as files in one directory (DATA_DIR/attachments): the default, for a single host. */
export class LocalDiskStore implements UploadStore {
  readonly kind = 'local';
  constructor(readonly dir: string) {}

  // Every write goes to a temporary name in the same directory and is renamed into place: a rename
  // is atomic, so a reader sees the old object or the new one, never a half-written file. Writing in
  // place truncated an upload's metadata for a moment while a message bound it to its conversation,
  // and a visitor fetching the file just then got a 404 (CI, once).
  private async writeAtomically(key: string, write: (temp: string) => Promise<void>): Promise<void> {
    const temp = path.join(this.dir, `${key}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await write(temp);
      await rename(temp, path.join(this.dir, key));
    } finally {
      await rm(temp, { force: true });
    }
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await this.writeAtomically(key, (temp) => writeFile(temp, bytes));
  }

  async putFile(key: string, file: string): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const target = path.join(this.dir, key);
    // A spooled upload usually sits on another file system (the system's temp dir): then it is copied
    // by the kernel, still without passing through this process's memory, and renamed into place.
    await rename(file, target).catch(async (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EXDEV') throw err;
      await this.writeAtomically(key, (temp) => copyFile(file, temp));
    });
  }

  async open(key: string): Promise<OpenedObject | undefined> {
    const file = path.join(this.dir, key);
    try {
      const { size } = await stat(file);
      return { body: Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>, size };
    } catch (err) {
      if (missing(err)) return undefined;
      throw err;
    }
  }

  async get(key: string): Promise<Buffer | undefined> {
    try {
      return await readFile(path.join(this.dir, key));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(path.join(this.dir, key), { force: true });
  }

  async *list(): AsyncIterable<StoredObject> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    for (const key of names) {
      if (key.endsWith('.tmp')) continue; // a write in progress (see put)
      const s = await stat(path.join(this.dir, key)).catch(() => undefined);
      if (s?.isFile()) yield { key, lastModified: s.mtime };
    }
  }
}
