/** One stored object (an upload's bytes, or its metadata beside it) as a listing shows it. */
export interface StoredObject {
  key: string;
  lastModified: Date;
}

/**
 * Where upload bytes and their metadata live: the local disk (one process, the default) or an
 * S3-compatible bucket (many hosts share it). Keys are flat names made by the uploads domain.
 */
export interface UploadStore {
  readonly kind: 'local' | 's3';
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** The object's bytes, or undefined when there is none. */
  get(key: string): Promise<Buffer | undefined>;
  /** Deleting what is not there is not an error (retention and erasure re-run safely). */
  delete(key: string): Promise<void>;
  /** Every object, page by page (the orphan-upload job walks it). */
  list(): AsyncIterable<StoredObject>;
}
