import { loadSampleKb } from '../../server/src/seed/seed-demo-kb';
import { api, login } from '../lib/api-client';
import { ADMIN, startAutocrm } from '../lib/autocrm-process';
import { runLoad, startProcess } from '../lib/processes';
import { type Row, ratio, round1 } from '../lib/rows';
import { quick } from '../lib/run-options';

export async function botOverhead(): Promise<Row[]> {
  const delay = 200;
  const llm = await startProcess('bench/baselines/fake-llm.ts', { FAKE_LLM_DELAY_MS: String(delay) }, /listening on (\d+)/);
  const llmUrl = `http://127.0.0.1:${llm.match[1]}/v1`;
  const server = await startAutocrm({
    env: { OPENAI_BASE_URL: llmUrl, OPENAI_EMBEDDING_MODEL: 'none' },
    prepare: async (db) => {
      await loadSampleKb(db);
    },
  });
  try {
    const admin = await login(server.url, ADMIN.email, ADMIN.password);
    const inbox = await api(server.url, admin, 'POST', '/inboxes', { name: 'Bot bench', channel: 'web' });
    const r = await runLoad<{
      samples: number;
      handedOff: number;
      oursP50: number;
      oursP95: number;
      directP50: number;
      directP95: number;
    }>('bench/load/bot-first-token.ts', { url: server.url, llmUrl, websiteToken: inbox.websiteToken, samples: quick ? 8 : 60 });
    return [
      {
        scenario: 'bot-overhead',
        metric: `customer message → first bot token (LLM delay ${delay} ms), p50`,
        ours: r.oursP50,
        baseline: r.directP50,
        baselineName: 'LLM called directly',
        ratio: ratio(r.oursP50, r.directP50),
        unit: `ms (hub adds ${round1(r.oursP50 - r.directP50)} ms)`,
      },
      {
        scenario: 'bot-overhead',
        metric: `customer message → first bot token, p95 (${r.samples} answers, ${r.handedOff} hand-offs)`,
        ours: r.oursP95,
        baseline: r.directP95,
        baselineName: 'LLM called directly',
        ratio: ratio(r.oursP95, r.directP95),
        unit: `ms (hub adds ${round1(r.oursP95 - r.directP95)} ms)`,
      },
    ];
  } finally {
    await server.cleanup();
    await llm.kill();
  }
}
