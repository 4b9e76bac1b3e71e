/** Closed-loop HTTP load: `concurrency` callers POST conversations for `seconds`. */
import { performance } from 'node:perf_hooks';
import { cpuSecondsOf, percentile, round } from '../lib/stats';

const args = JSON.parse(process.argv[2] ?? '{}') as {
  url: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
  seconds: number;
  concurrency: number;
  pid: number;
  target: string;
};
const latencies: number[] = [];
let errors = 0;
const cpu0 = cpuSecondsOf(args.pid);
const deadline = performance.now() + args.seconds * 1000;
const t0 = performance.now();
let n = 0;
await Promise.all(
  Array.from({ length: args.concurrency }, async () => {
    while (performance.now() < deadline) {
      const started = performance.now();
      const res = await fetch(args.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...args.headers },
        body: JSON.stringify({ ...args.body, subject: `bench ${n++}` }),
      });
      await res.arrayBuffer();
      if (res.status === 201) latencies.push(performance.now() - started);
      else errors++;
    }
  }),
);
const elapsed = (performance.now() - t0) / 1000;
const cpu = cpuSecondsOf(args.pid) - cpu0;
console.log(
  JSON.stringify({
    target: args.target,
    requestsPerSecond: round(latencies.length / elapsed, 0),
    errors,
    p50: round(percentile(latencies, 50)),
    p99: round(percentile(latencies, 99)),
    serverCpuMsPerRequest: round((cpu * 1000) / Math.max(1, latencies.length), 3),
  }),
);
process.exit(0);
