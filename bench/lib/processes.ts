import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');
// node itself with tsx as a loader, not the tsx wrapper binary: the pid we measure and signal must be
// the process doing the work, not a wrapper that runs it as a grandchild.
const NODE_TSX = [process.execPath, '--import', 'tsx'] as const;

export interface Proc {
  child: ChildProcess;
  pid: number;
  output(): string;
  kill(): Promise<void>;
}

/** Starts a TypeScript entry point as its own process and waits until `ready` matches its output. */
export function startProcess(
  script: string,
  env: Record<string, string>,
  ready: RegExp,
  nodeFlags: string[] = [],
): Promise<Proc & { match: RegExpExecArray }> {
  const child = spawn(NODE_TSX[0], [...nodeFlags, ...NODE_TSX.slice(1), script], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start:\n${out}`)), 120_000);
    const check = () => {
      const match = ready.exec(out);
      if (!match) return;
      clearTimeout(timer);
      child.stdout?.off('data', check);
      resolve({
        child,
        pid: child.pid as number,
        match,
        output: () => out,
        async kill() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          await exited;
        },
      });
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}:\n${out}`)));
  });
}

/** Runs a load generator process to completion and returns the JSON it prints on its last line. */
export async function runLoad<T>(script: string, args: unknown): Promise<T> {
  const child = spawn(NODE_TSX[0], [...NODE_TSX.slice(1), script, JSON.stringify(args)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => {
    err += d;
    // Progress lines (indented, as the harness prints its own) show while a long scenario runs.
    for (const line of String(d).split('\n')) if (line.startsWith('   ')) console.error(line);
  });
  const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
  const last = out.trim().split('\n').at(-1) ?? '';
  if (code !== 0) throw new Error(`${script} failed (${code}):\n${err}\n${out}`);
  return JSON.parse(last) as T;
}
