import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Prometheus metrics, one registry per app instance (tests start several in one process). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpDuration: new Histogram({
      name: 'autocrm_http_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    eventsDispatched: new Counter({
      name: 'autocrm_outbox_events_dispatched_total',
      help: 'Domain events delivered from the outbox to listeners',
      labelNames: ['type'] as const,
      registers: [registry],
    }),
    outboxPending: new Gauge({
      name: 'autocrm_outbox_pending_events',
      help: 'Domain events written but not yet dispatched',
      registers: [registry],
    }),
    redisUp: new Gauge({
      name: 'autocrm_redis_up',
      help: '1 while this process is connected to Redis (cross-process live delivery), 0 while it is away',
      registers: [registry],
    }),
    redisPublishFailures: new Counter({
      name: 'autocrm_redis_publish_failures_total',
      help: 'Live broadcasts delivered to this process only because Redis could not be reached',
      registers: [registry],
    }),
    configCacheReads: new Counter({
      name: 'autocrm_config_cache_reads_total',
      help: 'Reads of cached configuration (routing settings, rules, calendars, help-center locales), by hit or miss',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    databaseUp: new Gauge({
      name: 'autocrm_database_up',
      help: '1 while Postgres answers, 0 while queries fail fast with unavailable',
      registers: [registry],
    }),
    webhookPending: new Gauge({
      name: 'autocrm_webhook_deliveries_pending',
      help: 'Webhook deliveries waiting for their next attempt',
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
