import type { WebhookEventData, WebhookEventType } from './schemas/webhook-events';
import { WebhookEventPayloads } from './schemas/webhook-events';

/**
 * Domain events: written to the outbox in the same transaction as the change that caused them, then
 * handed to listeners (realtime fan-out, webhooks, bot, routing...). Each event's `data` is exactly its
 * webhook payload (schemas/webhook-events.ts is the one source), so adding a field is fine and renaming
 * one is a breaking change. What is internal only (`cause`) sits beside `data`, never in it.
 */
export type DomainEventPayloads = WebhookEventData;

export type EventType = WebhookEventType;

// Taken from the payload schemas so the list can never drift from the payload types.
export const EVENT_TYPES = Object.keys(WebhookEventPayloads) as [EventType, ...EventType[]];

export interface DomainEvent<K extends EventType = EventType> {
  /** Outbox id: increasing, unique across the workspace. */
  id: number;
  type: K;
  occurredAt: string;
  data: DomainEventPayloads[K];
  /** Set when an automation rule's actions wrote this event (not part of the webhook payload). */
  cause?: EventCause;
}

/** The automation rule whose actions wrote an event, and how deep in a chain of rules it is (1 = first). */
export interface EventCause {
  ruleId: string;
  ruleName: string;
  depth: number;
}

/** Body of an outbound webhook request (Standard Webhooks convention: type, timestamp, data). */
export interface WebhookPayload<K extends EventType = EventType> {
  type: K;
  timestamp: string;
  data: DomainEventPayloads[K];
}
