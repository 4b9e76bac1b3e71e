/**
 * `npm run bench [-- scenario ...] [--quick]`: runs each scenario against the real server (started here
 * as its own process) and its baseline in the same run, then prints our figure, the baseline's and the
 * ratio as a table and as JSON (bench/results/latest.json). PGlite by default; Postgres and Redis when
 * DATABASE_URL / REDIS_URL are set. Each scenario is its own file in bench/scenarios/ (a `() => Promise<Row[]>`);
 * the helpers they share (the server process, the API session, the Row type) are in bench/lib/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './lib/processes';
import type { Row } from './lib/rows';
import { backend, picked, quick } from './lib/run-options';
import { botOverhead } from './scenarios/bot-overhead';
import { connections } from './scenarios/connections';
import { faults } from './scenarios/faults';
import { inboxAtScale } from './scenarios/inbox-at-scale';
import { kbSearch } from './scenarios/kb-search';
import { messagePath } from './scenarios/message-path';
import { reconnectStorm } from './scenarios/reconnect-storm';
import { reports } from './scenarios/reports';
import { ticketCreate } from './scenarios/ticket-create';
import { twoProcesses } from './scenarios/two-processes';
import { widgetWeight } from './scenarios/widget-weight';

// The order is the run order when no scenario is named.
const scenarios: Record<string, () => Promise<Row[]>> = {
  faults,
  'message-path': messagePath,
  'ticket-create': ticketCreate,
  'kb-search': kbSearch,
  'bot-overhead': botOverhead,
  'widget-weight': widgetWeight,
  connections,
  'reconnect-storm': reconnectStorm,
  'inbox-at-scale': inboxAtScale,
  'two-processes': twoProcesses,
  reports,
};

const names = picked.length ? picked : Object.keys(scenarios);
const unknown = names.filter((n) => !scenarios[n]);
if (unknown.length) {
  console.error(`unknown scenario(s): ${unknown.join(', ')}; known: ${Object.keys(scenarios).join(', ')}`);
  process.exit(2);
}
const rows: Row[] = [];
const resultFile = path.join(ROOT, `bench/results/${quick ? 'quick' : 'latest'}.json`);
const save = () => {
  mkdirSync(path.dirname(resultFile), { recursive: true });
  const result = { at: new Date().toISOString(), backend, redis: !!process.env.REDIS_URL, quick, rows };
  writeFileSync(resultFile, `${JSON.stringify(result, null, 2)}\n`);
};
let failed = 0;
const runStarted = Date.now();
for (const name of names) {
  const started = Date.now();
  console.error(`== ${name} (${backend}${process.env.REDIS_URL ? ' + redis' : ''}${quick ? ', quick' : ''})`);
  try {
    rows.push(...(await (scenarios[name] as () => Promise<Row[]>)()));
  } catch (err) {
    // One broken scenario must not cost the figures of the others: record it, go on, fail at the end.
    failed++;
    console.error(err);
    const message = err instanceof Error ? err.message : String(err);
    rows.push({
      scenario: name,
      metric: 'failed',
      ours: null,
      baseline: null,
      baselineName: '–',
      ratio: null,
      unit: message.slice(0, 200),
    });
  }
  console.error(`   done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  save(); // a crash later keeps what is measured so far
}
console.error(`== all scenarios in ${((Date.now() - runStarted) / 1000).toFixed(0)} s`);
const table = [
  '| scenario | metric | ours | baseline | ratio | unit |',
  '| --- | --- | ---: | ---: | ---: | --- |',
  ...rows.map(
    (r) =>
      `| ${r.scenario} | ${r.metric} | ${r.ours ?? '–'} | ${r.baseline ?? '–'} (${r.baselineName}) | ${r.ratio ?? '–'} | ${r.unit} |`,
  ),
].join('\n');
console.log(table);
process.exit(failed ? 1 : 0);
