import type { InternalEventData, InternalEventType } from './schemas/internal-events';
import type { WebhookEventData, WebhookEventType } from './schemas/webhook-events';
import { WebhookEventPayloads } from './schemas/webhook-events';

/**
 * Domain events: written to the outbox in the same transaction as the change that caused them, then
 * handed to listeners (realtime fan-out, webhooks, bot, routing...). Each event's `data` is exactly its
 * webhook payload (schemas/webhook-events.ts is the one source), so adding a field is fine and renaming
 * one is a breaking change. What is internal only (`cause`) sits beside `data`, never in it.
 */
// The internal events (schemas/internal-events.ts) only wake the server's own loops; they are never
// delivered to webhooks.
export type DomainEventPayloads = WebhookEventData & InternalEventData;

export type EventType = WebhookEventType | InternalEventType;

// The webhook events, taken from the payload schemas so the list can never drift from the payload
// types. This is the list subscribers choose from; it holds no internal event.
export const EVENT_TYPES = Object.keys(WebhookEventPayloads) as [WebhookEventType, ...WebhookEventType[]];

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
export interface WebhookPayload<K extends WebhookEventType = WebhookEventType> {
  type: K;
  timestamp: string;
  data: DomainEventPayloads[K];
}
