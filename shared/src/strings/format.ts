/** A catalogue string with its {placeholders} filled in; a placeholder without a value becomes empty. */
export function format(template: string, vars: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''));
}
