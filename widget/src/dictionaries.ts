import { CATALOGUE } from '@autocrm/shared/strings';
import type { Strings } from './i18n';

// Every language but English, from the shared catalogue. Not part of the widget's script: the build
// writes each one to dist/i18n/<lang>.json and the widget fetches the one it needs (widget/build.mjs).
export const DICTIONARIES: Record<string, Strings> = Object.fromEntries(
  Object.entries(CATALOGUE)
    .filter(([lang]) => lang !== 'en')
    .map(([lang, c]) => [lang, c.widget]),
);
