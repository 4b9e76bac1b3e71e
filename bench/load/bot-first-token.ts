/**
 * Bot overhead: a visitor asks, and we time until the first token of the bot's answer reaches the room
 * (`bot:stream` with text). The baseline is the same LLM server called directly by the `openai` client:
 * time to its first token. The difference is what the hub adds (storing, outbox, job claim, language
 * detection, retrieval, prompt, fan-out).
 */
import { performance } from 'node:perf_hooks';
import OpenAI from 'openai';
import { io } from 'socket.io-client';
import { EVAL_QUESTIONS } from '../../db/kb-sample/eval-questions';
import { percentile, round } from '../lib/stats';

const args = JSON.parse(process.argv[2] ?? '{}') as { url: string; llmUrl: string; websiteToken: string; samples: number };
const questions = EVAL_QUESTIONS.filter((q) => q.locale === 'en');

async function oneChat(i: number): Promise<number | null> {
  const v = (await (
    await fetch(`${args.url}/widget-api/v1/visitors`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ websiteToken: args.websiteToken }),
    })
  ).json()) as { visitorToken: string };
  const socket = io(`${args.url}/widget`, {
    transports: ['websocket'],
    auth: { websiteToken: args.websiteToken, visitorToken: v.visitorToken },
    forceNew: true,
    reconnection: false,
  });
  await new Promise<void>((r) => socket.once('connect', () => r()));
  const q = questions[i % questions.length] as (typeof questions)[number];
  let started = 0;
  const first = new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => resolve(null), 10_000);
    socket.on('bot:stream', (e: { text: string }) => {
      if (!e.text) return;
      clearTimeout(timer);
      resolve(performance.now() - started);
    });
    // A hand-off instead of an answer (nothing relevant found): no sample.
    socket.on('message', (e: { message: { authorKind: string } }) => {
      if (e.message.authorKind === 'system') {
        clearTimeout(timer);
        resolve(null);
      }
    });
  });
  started = performance.now();
  const ack = (await socket.timeout(10_000).emitWithAck('conversation:start', { clientId: `b${i}`, body: q.question })) as {
    conversationId: string;
  };
  await socket.timeout(10_000).emitWithAck('room:join', { conversationId: ack.conversationId, lastSeq: 0 });
  const ms = await first;
  socket.disconnect();
  return ms;
}

const ours: number[] = [];
const direct: number[] = [];
const client = new OpenAI({ baseURL: args.llmUrl, apiKey: 'bench', maxRetries: 0 });
let handedOff = 0;
for (let i = 0; i < args.samples; i++) {
  // Alternate: one chat through the hub, one direct call.
  const ms = await oneChat(i);
  if (ms === null) handedOff++;
  else ours.push(ms);
  const t = performance.now();
  const stream = await client.chat.completions.create({
    model: 'bench',
    stream: true,
    messages: [{ role: 'user', content: 'hi' }],
  });
  for await (const chunk of stream) {
    if (chunk.choices[0]?.delta?.content) {
      direct.push(performance.now() - t);
      break;
    }
  }
}
console.log(
  JSON.stringify({
    samples: ours.length,
    handedOff,
    oursP50: round(percentile(ours, 50)),
    oursP95: round(percentile(ours, 95)),
    directP50: round(percentile(direct, 50)),
    directP95: round(percentile(direct, 95)),
  }),
);
process.exit(0);
