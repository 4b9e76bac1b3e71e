import { lookup as dnsLookup } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { Webhook } from 'standardwebhooks';
import type { SsrfGuard } from './ssrf-guard';

export interface DeliveryOutcome {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/**
 * POSTs one signed payload (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature).
 * The address is checked at connect time too, so a host that re-resolves to a private address after
 * the subscription was saved (DNS rebinding) is still refused.
 */
export function deliverSigned(props: {
  url: string;
  secret: string;
  msgId: string;
  body: string;
  timeoutMs: number;
  guard: SsrfGuard;
}): Promise<DeliveryOutcome> {
  const started = performance.now();
  const timestamp = new Date();
  const signature = new Webhook(props.secret).sign(props.msgId, timestamp, props.body);
  const url = new URL(props.url);
  const client = url.protocol === 'https:' ? https : http;
  const done = (statusCode: number | null, error: string | null): DeliveryOutcome => ({
    ok: statusCode !== null && statusCode >= 200 && statusCode < 300,
    statusCode,
    error,
    durationMs: Math.round(performance.now() - started),
  });

  // Node connects to an IP-literal host without calling `lookup`, so check it here.
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(literal) && !props.guard.isAllowedAddress(literal)) {
    return Promise.resolve(done(null, `refused: ${literal} is a private, loopback or link-local address`));
  }

  return new Promise((resolve) => {
    const req = client.request(
      url,
      {
        method: 'POST',
        timeout: props.timeoutMs,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'AutoCRM-Webhooks/1',
          'webhook-id': props.msgId,
          'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
          'webhook-signature': signature,
        },
        // Node 20 asks for `all` addresses (autoSelectFamily) and then needs an array back.
        lookup: (hostname, options, callback) => {
          dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
            if (err) return callback(err, []);
            const bad = addresses.find((a) => !props.guard.isAllowedAddress(a.address));
            if (bad || !addresses[0]) {
              return callback(new Error(`refused: ${bad?.address ?? hostname} is a private, loopback or link-local address`), []);
            }
            if (options.all) callback(null, addresses);
            else callback(null, addresses[0].address, addresses[0].family);
          });
        },
      },
      (res) => {
        // Only the status matters; drain a bounded amount of the body and move on.
        res.resume();
        res.on('end', () => resolve(done(res.statusCode ?? null, null)));
        res.on('error', (err) => resolve(done(res.statusCode ?? null, err.message)));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timed out after ${props.timeoutMs} ms`)));
    req.on('error', (err) => resolve(done(null, err.message)));
    req.end(props.body);
  });
}
