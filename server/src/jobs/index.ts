import type { Config } from '../config';
import { uploadStoreFor } from '../storage/uploads/select-store';
import type { UploadStore } from '../storage/uploads/upload-store';
import { applyRetention } from './apply-retention';
import type { JobDefinition } from './job';
import { pruneAbandonedVisitors } from './prune-abandoned-visitors';
import { pruneBotTurns } from './prune-bot-turns';
import { pruneOrphanUploads } from './prune-orphan-uploads';
import { pruneOutbox } from './prune-outbox';
import { pruneSessions } from './prune-sessions';
import { pruneWebhookLog } from './prune-webhook-log';
import { refreshStatistics } from './refresh-statistics';

/** The one registry of scheduled maintenance: a new job is a file beside this one and a line here. */
export function maintenanceJobs(config: Config, uploads: UploadStore = uploadStoreFor(config)): JobDefinition[] {
  return [
    pruneOutbox(config.RETENTION_OUTBOX_DAYS),
    pruneSessions(),
    pruneWebhookLog(config.RETENTION_WEBHOOK_LOG_DAYS),
    pruneAbandonedVisitors(config.RETENTION_VISITOR_DAYS),
    pruneBotTurns(config.RETENTION_OUTBOX_DAYS),
    refreshStatistics(),
    applyRetention(uploads),
    pruneOrphanUploads(uploads),
  ];
}
