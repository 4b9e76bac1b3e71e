import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small stand-in for Meta's WhatsApp Cloud API on loopback: the messages endpoint of a phone number
 * (bearer token, JSON, `wamid` ids, Graph errors in their shape), media lookup and download (the
 * lookup answers a URL on the media host, downloaded with the same token), and the webhooks Meta sends
 * (the GET subscription handshake and POSTs signed with X-Hub-Signature-256).
 */

export interface FakeWhatsApp {
  /** The Graph base URL with its version, for WHATSAPP_GRAPH_BASE_URL. */
  url: string;
  phoneNumberId: string;
  accessToken: string;
  appSecret: string;
  sent: { body: any; auth: string | undefined }[];
  failNext: { status: number; code: number; message: string }[];
  media: Map<string, { bytes: Buffer; mimeType: string; host?: string }>;
  webhook(url: string, payload: unknown, opts?: { appSecret?: string; signature?: string | null }): Promise<Response>;
  close(): Promise<void>;
}

export async function startFakeWhatsApp(): Promise<FakeWhatsApp> {
  const phoneNumberId = String(100000000000000 + Math.floor(Math.random() * 1e9));
  const accessToken = `EAAG${randomBytes(24).toString('hex')}`;
  const appSecret = randomBytes(16).toString('hex');
  const sent: FakeWhatsApp['sent'] = [];
  const failNext: FakeWhatsApp['failNext'] = [];
  const media: FakeWhatsApp['media'] = new Map();
  const read = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  };
  let port = 0;
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const authorized = req.headers.authorization === `Bearer ${accessToken}`;
    const oauthError = () =>
      json(401, { error: { message: 'Invalid OAuth access token.', type: 'OAuthException', code: 190, fbtrace_id: 'x' } });
    const lookaside = url.pathname.match(/^\/lookaside\/([^/]+)$/);
    if (req.method === 'GET' && lookaside) {
      if (!authorized) return oauthError();
      const f = media.get(lookaside[1]!);
      if (!f) return json(404, {});
      res.writeHead(200, { 'content-type': f.mimeType, 'content-length': String(f.bytes.length) });
      return res.end(f.bytes);
    }
    const path = url.pathname.replace(/^\/v\d+\.\d+/, '');
    const send = path.match(/^\/(\d+)\/messages$/);
    if (req.method === 'POST' && send) {
      if (!authorized || send[1] !== phoneNumberId) return oauthError();
      const body = JSON.parse(await read(req));
      const fail = failNext.shift();
      if (fail)
        return json(fail.status, { error: { message: fail.message, type: 'OAuthException', code: fail.code, fbtrace_id: 'x' } });
      sent.push({ body, auth: req.headers.authorization });
      return json(200, {
        messaging_product: 'whatsapp',
        contacts: [{ input: body.to, wa_id: body.to }],
        messages: [{ id: `wamid.${randomBytes(12).toString('hex')}` }],
      });
    }
    const lookup = path.match(/^\/([^/]+)$/);
    if (req.method === 'GET' && lookup && media.has(lookup[1]!)) {
      if (!authorized) return oauthError();
      const f = media.get(lookup[1]!)!;
      return json(200, {
        messaging_product: 'whatsapp',
        url: `http://${f.host ?? '127.0.0.1'}:${port}/lookaside/${lookup[1]}`,
        mime_type: f.mimeType,
        file_size: f.bytes.length,
        id: lookup[1],
      });
    }
    json(404, { error: { message: 'Unsupported request', code: 100 } });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/v21.0`,
    phoneNumberId,
    accessToken,
    appSecret,
    sent,
    failNext,
    media,
    async webhook(target, payload, opts = {}) {
      const raw = JSON.stringify(payload);
      const signature =
        opts.signature === undefined
          ? `sha256=${createHmac('sha256', opts.appSecret ?? appSecret)
              .update(raw)
              .digest('hex')}`
          : opts.signature;
      return fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(signature !== null ? { 'x-hub-signature-256': signature } : {}) },
        body: raw,
      });
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** A webhook body as Meta sends it for one phone number. */
export function whatsAppPayload(
  phoneNumberId: string,
  value: { contacts?: unknown[]; messages?: unknown[]; statuses?: unknown[] },
) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: phoneNumberId },
              ...value,
            },
          },
        ],
      },
    ],
  };
}
