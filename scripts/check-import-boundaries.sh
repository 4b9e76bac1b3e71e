#!/usr/bin/env bash
# Proves the import-boundary rules in biome.json bite: plants one violation of each never-rule, expects
# Biome to refuse every one, and removes them again. Run by CI before the suites.
set -uo pipefail
cd "$(dirname "$0")/.."
declare -A plants=(
  [server/src/domain/_boundary_plant.ts]="import { x } from '../http/app';"
  [server/src/domain/_boundary_plant2.ts]="import { x } from '../../../db/migrations/0001_initial';"
  [db/_boundary_plant.ts]="import { x } from '../server/src/config';"
  [db/migrations/_boundary_plant.ts]="import { x } from '../../shared/src/index';"
  [shared/src/_boundary_plant.ts]="import { x } from '../../server/src/config';"
  [web/src/lib/_boundary_plant.ts]="import { x } from '../../../server/src/config';"
  [widget/src/_boundary_plant.ts]="import { x } from '../../server/src/config';"
  [server/src/http/_boundary_plant.ts]="import { x } from '../workers';"
  [server/src/realtime/_boundary_plant.ts]="import { x } from '../workers/routing-rounds';"
  [server/src/channels/_boundary_plant.ts]="import { x } from '../listeners/index';"
  [server/src/_boundary_cycle_a.ts]="import { b } from './_boundary_cycle_b';
export const a = () => b;"
  [server/src/_boundary_cycle_b.ts]="import { a } from './_boundary_cycle_a';
export const b = () => a;"
)
trap 'rm -f "${!plants[@]}"' EXIT
for f in "${!plants[@]}"; do printf '%s\nexport const planted = x;\n' "${plants[$f]}" > "$f"; done
for f in server/src/_boundary_cycle_a.ts server/src/_boundary_cycle_b.ts; do printf '%s\n' "${plants[$f]}" > "$f"; done
out=$(npx biome lint --colors=off --only=style/noRestrictedImports --only=suspicious/noImportCycles "${!plants[@]}" 2>&1)
missed=0
for f in "${!plants[@]}"; do
  if ! grep -q "^$f:" <<<"$out"; then echo "import-boundary check: $f was not refused"; missed=1; fi
done
[ $missed = 0 ] && echo "import boundaries: all ${#plants[@]} planted violations refused"
exit $missed
