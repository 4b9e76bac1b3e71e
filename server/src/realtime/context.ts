import type { Participant } from '@autocrm/shared';
import type { Logger } from 'pino';
import type { GroupCommit } from '../domain/messages/group-commit';
import type { UploadLocation } from '../domain/widget/uploads';
import type { RateLimits } from '../ops/rate-limits';
import type { Db } from '../storage/db';
import type { IoSocket } from './types';

/** What socket handlers use: storage and room broadcasts (events written reach the relay after commit by themselves). */
export interface RealtimeContext {
  db: Db;
  logger: Logger;
  rateLimits: RateLimits;
  /** Stores socket sends, grouped into shared transactions under load (domain/messages/group-commit.ts). */
  sends: GroupCommit;
  /** Where uploads are stored (attachments are checked against them). */
  uploadsDir: UploadLocation;
  broadcastViewers(conversationId: string): Promise<Participant[]>;
  emitTyping(from: IoSocket, conversationId: string, participant: Participant, typing: boolean): void;
  /** The visitor's draft to the agents in the room only (never echoed to the widget, never stored). */
  emitTypingPreview(conversationId: string, participant: Participant, draft: string): void;
  emitRead(conversationId: string, participant: Participant, seq: number): void;
}
