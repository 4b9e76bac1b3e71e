/** One line of the bench's table and JSON, and the arithmetic every scenario shares to fill it. */

export interface Row {
  scenario: string;
  metric: string;
  ours: number | null;
  baseline: number | null;
  baselineName: string;
  /** ours / baseline, oriented so that > 1 means we do more (throughput) or take longer (latency). */
  ratio: number | null;
  unit: string;
}

export const round1 = (n: number) => Math.round(n * 10) / 10;
export const ratio = (a: number | null, b: number | null) => (a !== null && b ? Number((a / b).toFixed(2)) : null);
