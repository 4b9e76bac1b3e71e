export { RoomClient, type RoomClientOptions, type PendingMessage, type RoomSocket } from './room-client';
export { memoryStorage, type KeyValueStorage } from './storage';
