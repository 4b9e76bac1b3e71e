import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What the loopback stand-ins for Meta's Graph products (fake-whatsapp, fake-messenger) share: one HTTP
 * server, Graph errors in their shape, the send log with queued failures, and webhooks signed with
 * X-Hub-Signature-256 the way Meta signs them. Each product answers its own paths in `handle`.
 */

export interface FakeGraphBase {
  /** The Graph base URL with its version, for <PRODUCT>_GRAPH_BASE_URL. */
  url: string;
  port: number;
  appSecret: string;
  sent: { body: any; auth: string | undefined }[];
  failNext: { status: number; code: number; message: string }[];
  webhook(url: string, payload: unknown, opts?: { appSecret?: string; signature?: string | null }): Promise<Response>;
  close(): Promise<void>;
}

/** One request as a product's handler sees it. */
export interface GraphRequest {
  req: IncomingMessage;
  res: ServerResponse;
  /** The path without its /vNN.N prefix. */
  path: string;
  /** The path as requested (CDN and media hosts have no version). */
  rawPath: string;
  /** Whether the request carries the product's access token. */
  authorized: boolean;
  json(status: number, body: unknown): void;
  /** Graph's answer to a missing or wrong token (the status differs by product). */
  oauthError(): void;
  readJson(): Promise<any>;
  /** Answers a queued failure (true), so the send is not recorded. */
  answeredFailure(): boolean;
  /** Records a send that went through. */
  record(body: unknown): void;
}

export async function startFakeGraph(props: {
  accessToken: string;
  /** What Graph answers a bad token with: 401 on WhatsApp Cloud, 400 on the Messenger Send API. */
  oauthStatus: number;
  /** Answers the product's own paths; returns false when the path is not one of them (a Graph 404). */
  handle(r: GraphRequest): Promise<boolean> | boolean;
}): Promise<FakeGraphBase> {
  const appSecret = randomBytes(16).toString('hex');
  const sent: FakeGraphBase['sent'] = [];
  const failNext: FakeGraphBase['failNext'] = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const handled = await props.handle({
      req,
      res,
      path: url.pathname.replace(/^\/v\d+\.\d+/, ''),
      rawPath: url.pathname,
      authorized: req.headers.authorization === `Bearer ${props.accessToken}`,
      json,
      oauthError: () =>
        json(props.oauthStatus, {
          error: { message: 'Invalid OAuth access token.', type: 'OAuthException', code: 190, fbtrace_id: 'x' },
        }),
      readJson: async () => {
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        return JSON.parse(Buffer.concat(chunks).toString('utf8'));
      },
      answeredFailure: () => {
        const fail = failNext.shift();
        if (fail)
          json(fail.status, { error: { message: fail.message, type: 'OAuthException', code: fail.code, fbtrace_id: 'x' } });
        return Boolean(fail);
      },
      record: (body) => sent.push({ body, auth: req.headers.authorization }),
    });
    if (!handled) json(404, { error: { message: 'Unsupported request', code: 100 } });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/v21.0`,
    port,
    appSecret,
    sent,
    failNext,
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
