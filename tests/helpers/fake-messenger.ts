import { randomBytes } from 'node:crypto';
import { type FakeGraphBase, startFakeGraph } from './fake-graph';

/**
 * A small stand-in for Meta's Messenger Platform on loopback: the Send API of a page
 * (`POST /{page-id}/messages` with the page token, `message_id` answers, Graph errors in their shape),
 * the User Profile API, an attachment CDN, and the webhooks Meta sends for Messenger (object "page")
 * and Instagram (object "instagram"), signed with X-Hub-Signature-256.
 */

export interface FakeMessenger extends FakeGraphBase {
  /** Where attachments are served from: http://127.0.0.1:{port}/cdn/{name}. */
  cdn: string;
  pageId: string;
  instagramAccountId: string;
  pageAccessToken: string;
  profiles: Map<string, { first_name?: string; last_name?: string; name?: string }>;
  files: Map<string, { bytes: Buffer; mimeType: string }>;
}

export async function startFakeMessenger(): Promise<FakeMessenger> {
  const pageId = String(100000000000 + Math.floor(Math.random() * 1e9));
  const instagramAccountId = String(17841400000000000 + Math.floor(Math.random() * 1e9));
  const pageAccessToken = `EAAB${randomBytes(24).toString('hex')}`;
  const profiles: FakeMessenger['profiles'] = new Map();
  const files: FakeMessenger['files'] = new Map();
  const graph = await startFakeGraph({
    accessToken: pageAccessToken,
    oauthStatus: 400,
    async handle(r) {
      const cdn = r.rawPath.match(/^\/cdn\/([^/]+)$/);
      if (r.req.method === 'GET' && cdn) {
        const f = files.get(cdn[1]!);
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
        if (!r.authorized || send[1] !== pageId) {
          r.oauthError();
          return true;
        }
        const body = await r.readJson();
        if (r.answeredFailure()) return true;
        // The Send API's own rules: a tag only with MESSAGE_TAG, and a recipient id.
        if (!body.recipient?.id || (body.messaging_type === 'MESSAGE_TAG') !== Boolean(body.tag)) {
          r.json(400, { error: { message: '(#100) Invalid parameter', type: 'OAuthException', code: 100 } });
          return true;
        }
        r.record(body);
        r.json(200, { recipient_id: body.recipient.id, message_id: `m_${randomBytes(16).toString('base64url')}` });
        return true;
      }
      const profile = r.path.match(/^\/(\d+)$/);
      if (r.req.method === 'GET' && profile) {
        if (!r.authorized) {
          r.oauthError();
          return true;
        }
        const p = profiles.get(profile[1]!);
        if (!p) r.json(400, { error: { message: 'Unsupported get request.', code: 100 } });
        else r.json(200, { ...p, id: profile[1] });
        return true;
      }
      return false;
    },
  });
  return { ...graph, cdn: `http://127.0.0.1:${graph.port}/cdn`, pageId, instagramAccountId, pageAccessToken, profiles, files };
}

/** A webhook body as Meta sends it: one entry for the page (or Instagram account) with messaging events. */
export function messengerPayload(object: 'page' | 'instagram', entryId: string, messaging: unknown[]) {
  return { object, entry: [{ id: entryId, time: Date.now(), messaging }] };
}
