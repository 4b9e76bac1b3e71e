import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { StoredObject, UploadStore } from './upload-store';

/** Uploads as files in one directory (DATA_DIR/attachments): the default, for a single host. */
export class LocalDiskStore implements UploadStore {
  readonly kind = 'local';
  constructor(readonly dir: string) {}

  async put(key: string, bytes: Uint8Array): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await writeFile(path.join(this.dir, key), bytes);
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
      const s = await stat(path.join(this.dir, key)).catch(() => undefined);
      if (s?.isFile()) yield { key, lastModified: s.mtime };
    }
  }
}
