export { type PendingMessage, RoomClient, type RoomClientOptions, type RoomSocket } from './room-client';
export { type KeyValueStorage, memoryStorage } from './storage';
