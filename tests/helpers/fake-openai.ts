import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small OpenAI-compatible server on loopback: chat completions (streamed as server-sent events, or
 * whole) and embeddings, in the shapes the real API uses, so the real `openai` client runs against it.
 * Tests script the answers and read what the bot sent.
 */

export interface ChatRequest {
  model: string;
  messages: { role: string; content: string }[];
  stream?: boolean;
}

export interface ScriptedReply {
  text: string;
  /** Delay before the first chunk. */
  delayMs?: number;
  /** Delay between chunks. */
  chunkDelayMs?: number;
  /** Answer with this HTTP status instead. */
  status?: number;
  /** With `status`: an error body that echoes the request's Authorization header (a misbehaving upstream). */
  echoAuthorization?: boolean;
  /** Send this many content chunks, then nothing more while keeping the connection open. */
  stallAfterChunks?: number;
  /** End the stream (`[DONE]`) without the final chunk that carries `finish_reason`. */
  noFinishReason?: boolean;
}

export interface FakeOpenAI {
  url: string;
  /** Every chat completion request, in order. */
  chats: ChatRequest[];
  embeddingCalls: number;
  /** How the next chat completions are answered (default: a grounded answer citing article 1). */
  reply: (req: ChatRequest) => ScriptedReply;
  close(): Promise<void>;
}

/** The articles the bot passed, parsed back from its data message. */
export function articlesIn(req: ChatRequest): { n: number; title: string; text: string }[] {
  const data = req.messages.find((m) => m.content.includes('<articles>'))?.content ?? '';
  const json = data.slice(data.indexOf('<articles>') + '<articles>'.length, data.indexOf('</articles>'));
  try {
    return JSON.parse(json);
  } catch {
    return [];
  }
}

export const groundedReply = (req: ChatRequest): ScriptedReply => {
  const first = articlesIn(req)[0];
  if (!first) return { text: 'NO_ANSWER' };
  const sentence = first.text.split(/(?<=[.!?])\s/)[0] ?? first.text.slice(0, 120);
  return { text: `From our help center: ${sentence} [1]`, chunkDelayMs: 5 };
};

/** Hashed bag of word prefixes: texts sharing words get similar vectors, which is all a test needs. */
export function fakeEmbedding(text: string, dims = 64): number[] {
  const v = new Array<number>(dims).fill(0);
  for (const w of text.toLowerCase().match(/\p{L}{3,}/gu) ?? []) {
    const key = w.slice(0, 5);
    let h = 0;
    for (const ch of key) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
    v[h % dims] = (v[h % dims] ?? 0) + 1;
  }
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
}

async function body(req: IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startFakeOpenAI(): Promise<FakeOpenAI> {
  const state: FakeOpenAI = {
    url: '',
    chats: [],
    embeddingCalls: 0,
    reply: groundedReply,
    close: async () => {},
  };
  const server: Server = createServer(async (req, res) => {
    try {
      if (req.method === 'POST' && req.url?.endsWith('/embeddings')) {
        const b = await body(req);
        state.embeddingCalls++;
        const inputs: string[] = Array.isArray(b.input) ? b.input : [b.input];
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            object: 'list',
            model: b.model,
            data: inputs.map((t, index) => ({ object: 'embedding', index, embedding: fakeEmbedding(String(t)) })),
            usage: { prompt_tokens: 1, total_tokens: 1 },
          }),
        );
        return;
      }
      if (req.method === 'POST' && req.url?.endsWith('/chat/completions')) {
        const b = (await body(req)) as ChatRequest;
        state.chats.push(b);
        const r = state.reply(b);
        if (r.delayMs) await sleep(r.delayMs);
        if (r.status && r.status >= 400) {
          res.writeHead(r.status, { 'content-type': 'application/json' });
          const message = r.echoAuthorization
            ? `invalid request, headers were: authorization=${req.headers.authorization ?? ''}`
            : 'scripted failure';
          res.end(JSON.stringify({ error: { message, type: 'server_error' } }));
          return;
        }
        const id = `chatcmpl-${state.chats.length}`;
        const created = Math.floor(Date.now() / 1000);
        if (!b.stream) {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({
              id,
              object: 'chat.completion',
              created,
              model: b.model,
              choices: [{ index: 0, message: { role: 'assistant', content: r.text }, finish_reason: 'stop' }],
              usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
            }),
          );
          return;
        }
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
        const send = (delta: object, finish: string | null = null) =>
          res.write(
            `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: b.model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`,
          );
        send({ role: 'assistant', content: '' });
        let sent = 0;
        for (const piece of r.text.match(/.{1,8}/gs) ?? []) {
          if (res.destroyed) return;
          if (r.stallAfterChunks !== undefined && sent >= r.stallAfterChunks) return;
          send({ content: piece });
          sent++;
          if (r.chunkDelayMs) await sleep(r.chunkDelayMs);
        }
        if (!r.noFinishReason) send({}, 'stop');
        res.end('data: [DONE]\n\n');
        return;
      }
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `no route ${req.url}` } }));
    } catch (err) {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(err));
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  state.close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return state;
}
