import { randomBytes } from 'node:crypto';
import { type FakeGraphBase, startFakeGraph } from './fake-graph';

/**
 * A small stand-in for Meta's WhatsApp Cloud API on loopback: the messages endpoint of a phone number
 * (bearer token, JSON, `wamid` ids, Graph errors in their shape), media lookup and download (the
 * lookup answers a URL on the media host, downloaded with the same token), and the webhooks Meta sends
 * (the GET subscription handshake and POSTs signed with X-Hub-Signature-256).
 */

export interface FakeWhatsApp extends FakeGraphBase {
  phoneNumberId: string;
  accessToken: string;
  media: Map<string, { bytes: Buffer; mimeType: string; host?: string }>;
}

export async function startFakeWhatsApp(): Promise<FakeWhatsApp> {
  const phoneNumberId = String(100000000000000 + Math.floor(Math.random() * 1e9));
  const accessToken = `EAAG${randomBytes(24).toString('hex')}`;
  const media: FakeWhatsApp['media'] = new Map();
  const graph = await startFakeGraph({
    accessToken,
    oauthStatus: 401,
    async handle(r) {
      const lookaside = r.rawPath.match(/^\/lookaside\/([^/]+)$/);
      if (r.req.method === 'GET' && lookaside) {
        if (!r.authorized) {
          r.oauthError();
          return true;
        }
        const f = media.get(lookaside[1]!);
        if (!f) {
          r.json(404, {});
          return true;
        }
        r.res.writeHead(200, { 'content-type': f.mimeType, 'content-length': String(f.bytes.length) });
        r.res.end(f.bytes);
        return true;
      }
      const send = r.path.match(/^\/(\d+)\/messages$/);
      if (r.req.method === 'POST' && send) {
        if (!r.authorized || send[1] !== phoneNumberId) {
          r.oauthError();
          return true;
        }
        const body = await r.readJson();
        if (r.answeredFailure()) return true;
        r.record(body);
        r.json(200, {
          messaging_product: 'whatsapp',
          contacts: [{ input: body.to, wa_id: body.to }],
          messages: [{ id: `wamid.${randomBytes(12).toString('hex')}` }],
        });
        return true;
      }
      const lookup = r.path.match(/^\/([^/]+)$/);
      if (r.req.method === 'GET' && lookup && media.has(lookup[1]!)) {
        if (!r.authorized) {
          r.oauthError();
          return true;
        }
        const f = media.get(lookup[1]!)!;
        r.json(200, {
          messaging_product: 'whatsapp',
          url: `http://${f.host ?? '127.0.0.1'}:${graph.port}/lookaside/${lookup[1]}`,
          mime_type: f.mimeType,
          file_size: f.bytes.length,
          id: lookup[1],
        });
        return true;
      }
      return false;
    },
  });
  return { ...graph, phoneNumberId, accessToken, media };
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
