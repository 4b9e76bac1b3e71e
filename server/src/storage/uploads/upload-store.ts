/** One stored object (an upload's bytes, or its metadata beside it) as a listing shows it. */
export interface StoredObject {
  key: string;
  lastModified: Date;
}

export interface OpenedObject {
  body: ReadableStream<Uint8Array>;
  size: number;
}

/**
 * Where upload bytes and their metadata live: the local disk (one process, the default) or an
 * S3-compatible bucket (many hosts share it). Keys are flat names made by the uploads domain.
 */
export interface UploadStore {
  readonly kind: 'local' | 's3';
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** Stores the bytes of a file on this host's disk (a spooled upload) without reading it into memory. */
  putFile(key: string, file: string, size: number, contentType: string): Promise<void>;
  /** The object's bytes (small objects: metadata, a file for a mail), or undefined when there is none. */
  get(key: string): Promise<Buffer | undefined>;
  /** The object's bytes as a stream with their length (downloads), or undefined when there is none. */
  open(key: string): Promise<OpenedObject | undefined>;
  /** Deleting what is not there is not an error (retention and erasure re-run safely). */
  delete(key: string): Promise<void>;
  /** Every object, page by page (the orphan-upload job walks it). */
  list(): AsyncIterable<StoredObject>;
}
