import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';

/**
 * A small Twilio stand-in on loopback speaking the parts of its REST API we use: the Messages
 * resource (form-encoded POST, basic auth with the account SID and auth token, JSON answers and
 * errors in Twilio's shape, `num_segments`), inbound media behind a redirect to a CDN path, and the
 * webhooks Twilio sends us (incoming messages and status callbacks), signed with the official helper
 * library's own function, so our verification is checked against Twilio's.
 */

export interface SentMessage {
  sid: string;
  auth: string | undefined;
  form: URLSearchParams;
}

export interface FakeTwilio {
  url: string;
  accountSid: string;
  authToken: string;
  sent: SentMessage[];
  /** Answers for the next sends, in order (then 201 again): an HTTP status and Twilio's error code. */
  failNext: { status: number; code?: number; message?: string }[];
  /** Media served at /media/<id> (redirecting to /cdn/<id>). */
  media: Map<string, { bytes: Buffer; contentType: string }>;
  mediaUrl(id: string, host?: string): string;
  /** POSTs a signed webhook as Twilio would (form-encoded, X-Twilio-Signature). */
  webhook(
    url: string,
    params: Record<string, string>,
    opts?: { authToken?: string; signature?: string | null },
  ): Promise<Response>;
  close(): Promise<void>;
}

const hex = (n: number) => randomBytes(n).toString('hex');

export async function startFakeTwilio(): Promise<FakeTwilio> {
  const accountSid = `AC${hex(16)}`;
  const authToken = hex(16);
  const sent: SentMessage[] = [];
  const failNext: FakeTwilio['failNext'] = [];
  const media = new Map<string, { bytes: Buffer; contentType: string }>();
  const read = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  };
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const messages = url.pathname.match(/^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/);
    if (req.method === 'POST' && messages) {
      const expected = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
      const form = new URLSearchParams(await read(req));
      if (messages[1] !== accountSid || req.headers.authorization !== expected)
        return json(401, {
          code: 20003,
          message: 'Authenticate',
          more_info: 'https://www.twilio.com/docs/errors/20003',
          status: 401,
        });
      const fail = failNext.shift();
      if (fail)
        return json(fail.status, {
          code: fail.code ?? 20500,
          message: fail.message ?? 'Internal Server Error',
          status: fail.status,
        });
      const sid = `SM${hex(16)}`;
      sent.push({ sid, auth: req.headers.authorization, form });
      const body = form.get('Body') ?? '';
      const gsm = /^[\x20-\x7E\n\r]*$/.test(body);
      const segments = gsm
        ? body.length <= 160
          ? 1
          : Math.ceil(body.length / 153)
        : body.length <= 70
          ? 1
          : Math.ceil(body.length / 67);
      return json(201, {
        sid,
        account_sid: accountSid,
        to: form.get('To'),
        from: form.get('From'),
        messaging_service_sid: form.get('MessagingServiceSid'),
        body,
        status: 'queued',
        num_segments: String(segments),
        num_media: String(form.getAll('MediaUrl').length),
        direction: 'outbound-api',
        date_created: new Date().toUTCString(),
        uri: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`,
      });
    }
    const m = url.pathname.match(/^\/media\/([^/]+)$/);
    if (req.method === 'GET' && m) {
      res.writeHead(307, { location: `/cdn/${m[1]}` });
      return res.end();
    }
    const cdn = url.pathname.match(/^\/cdn\/([^/]+)$/);
    if (req.method === 'GET' && cdn && media.has(cdn[1]!)) {
      const f = media.get(cdn[1]!)!;
      res.writeHead(200, { 'content-type': f.contentType, 'content-length': String(f.bytes.length) });
      return res.end(f.bytes);
    }
    json(404, { code: 20404, message: 'The requested resource was not found', status: 404 });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    accountSid,
    authToken,
    sent,
    failNext,
    media,
    mediaUrl: (id, host = '127.0.0.1') => `http://${host}:${port}/media/${id}`,
    async webhook(target, params, opts = {}) {
      const signature =
        opts.signature === undefined
          ? twilio.getExpectedTwilioSignature(opts.authToken ?? authToken, target, params)
          : opts.signature;
      return fetch(target, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...(signature !== null ? { 'x-twilio-signature': signature } : {}),
        },
        body: new URLSearchParams(params),
      });
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
