import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** The soft and hard open-file limits of a process (Linux /proc). */
export function fileLimitOf(pid: number | 'self'): { soft: number; hard: number } {
  const line = readFileSync(`/proc/${pid}/limits`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Max open files'));
  const [soft, hard] = (line ?? '').split(/\s{2,}/).slice(1, 3);
  const n = (v: string | undefined) => (v === 'unlimited' ? Number.POSITIVE_INFINITY : Number(v));
  return { soft: n(soft), hard: n(hard) };
}

export function openFdsOf(pid: number | 'self'): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

/**
 * Raises this process's soft open-file limit to its hard limit (Node has no setrlimit; prlimit(1) can
 * change a running process). Going past the hard limit needs privileges a container usually lacks, so
 * that is only attempted, never assumed. Returns a note for the report.
 */
export function raiseOwnFileLimit(wanted: number): string {
  const before = fileLimitOf('self');
  for (const target of [wanted, before.hard]) {
    if (before.soft >= target) break;
    try {
      const hard = Math.max(target, before.hard);
      execFileSync('prlimit', ['--pid', String(process.pid), `--nofile=${target}:${hard}`], { stdio: 'ignore' });
      break;
    } catch {
      // not permitted: try the next, smaller target
    }
  }
  const after = fileLimitOf('self');
  return after.soft > before.soft ? `raised open files ${before.soft} → ${after.soft}` : `open files ${after.soft}`;
}
