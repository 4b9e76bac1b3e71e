// The product's enums as plain lists, once. No zod here on purpose: browser code (web pages, the widget)
// imports these through `@autocrm/shared/enum-values` without pulling the schema library into its
// bundle; enums.ts builds the zod schemas (and the OpenAPI components) from the same lists.

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;

/** Sort rank of a priority (urgent first when sorting descending). */
export const PRIORITY_RANK: Record<(typeof PRIORITIES)[number], number> = { low: 0, normal: 1, high: 2, urgent: 3 };

export const STATUS_CATEGORIES = ['open', 'pending', 'resolved', 'closed'] as const;

export const AUTHOR_KINDS = ['contact', 'agent', 'bot', 'system'] as const;
export const ROLES = ['admin', 'supervisor', 'agent'] as const;
export const CHANNELS = ['web', 'email', 'api', 'sms', 'whatsapp', 'messenger', 'social', 'phone', 'walk_in'] as const;
/** How an agent logs a conversation that happened elsewhere: a phone call or a visit in person. */
export const LOGGED_CHANNELS = ['phone', 'walk_in'] as const;
export const CUSTOM_FIELD_TYPES = ['text', 'number', 'boolean', 'date', 'single_select', 'multi_select'] as const;

/** A queue filter on status category, or none. */
export const QUEUE_STATES = [...STATUS_CATEGORIES, 'any'] as const;
export type QueueState = (typeof QUEUE_STATES)[number];
/** A queue filter on priority, or none. */
export const QUEUE_PRIORITIES = [...PRIORITIES, 'any'] as const;
export type QueuePriority = (typeof QUEUE_PRIORITIES)[number];
/** How a queue is ordered: longest waiting, highest priority, or latest activity. */
export const QUEUE_SORTS = ['waiting', 'priority', 'activity'] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];
