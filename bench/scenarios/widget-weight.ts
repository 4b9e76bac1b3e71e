import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
// @ts-expect-error: a plain .mjs build script without types
import { buildWidget } from '../../widget/build.mjs';
import { ROOT } from '../lib/processes';
import { type Row, ratio, round1 } from '../lib/rows';

export async function widgetWeight(): Promise<Row[]> {
  await buildWidget({ quiet: true }); // what is measured is what the source builds to now
  const dist = path.join(ROOT, 'widget/dist');
  const files = readdirSync(dist).filter((f) => f.endsWith('.js'));
  const size = (f: string) => {
    const buf = readFileSync(path.join(dist, f));
    return { min: buf.length / 1024, gz: gzipSync(buf, { level: 9 }).length / 1024 };
  };
  const loader = size(files.find((f) => f === 'widget.js') ?? 'widget.js');
  // The app module (what every page with the widget loads); the help view is fetched only when opened.
  const app = files.filter((f) => /^app\.[0-9a-f]+\.js$/.test(f)).map(size)[0] ?? { min: 0, gz: 0 };
  return [
    {
      scenario: 'widget-weight',
      metric: 'loader (widget.js), gzipped',
      ours: round1(loader.gz),
      baseline: 3,
      baselineName: 'budget',
      ratio: ratio(round1(loader.gz), 3),
      unit: `KB (${round1(loader.min)} KB minified)`,
    },
    {
      scenario: 'widget-weight',
      metric: 'widget app, gzipped',
      ours: round1(app.gz),
      baseline: 30,
      baselineName: 'budget',
      ratio: ratio(round1(app.gz), 30),
      unit: `KB (${round1(app.min)} KB minified)`,
    },
  ];
}
