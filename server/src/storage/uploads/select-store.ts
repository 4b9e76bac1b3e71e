import path from 'node:path';
import type { Config } from '../../config';
import { LocalDiskStore } from './local-disk-store';
import { S3Store } from './s3-store';
import type { UploadStore } from './upload-store';

const chosen = new WeakMap<Config, UploadStore>();

/** The upload store the configuration names: S3 when UPLOADS_S3_BUCKET is set, else DATA_DIR/attachments. */
export function uploadStoreFor(config: Config): UploadStore {
  let store = chosen.get(config);
  if (!store) {
    store = config.UPLOADS_S3_BUCKET
      ? new S3Store({
          endpoint: config.UPLOADS_S3_ENDPOINT ?? `https://s3.${config.UPLOADS_S3_REGION}.amazonaws.com`,
          bucket: config.UPLOADS_S3_BUCKET,
          region: config.UPLOADS_S3_REGION,
          accessKeyId: config.UPLOADS_S3_ACCESS_KEY_ID ?? '',
          secretAccessKey: config.UPLOADS_S3_SECRET_ACCESS_KEY ?? '',
          pathStyle: config.UPLOADS_S3_PATH_STYLE === 'true',
          prefix: config.UPLOADS_S3_PREFIX,
        })
      : new LocalDiskStore(path.join(config.DATA_DIR, 'attachments'));
    chosen.set(config, store);
  }
  return store;
}
