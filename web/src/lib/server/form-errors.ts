import { apiErrorMessage } from './client';

/**
 * An API error as errors by form field: each issue under its field's name (the first path segment, or
 * the whole dotted path when `keepPath`), and the message under `form` when no field is named.
 */
export function fieldErrors(error: unknown, status: number, keepPath = false): Record<string, string> {
  const issues = (error as { error?: { issues?: { path: string; message: string }[] } })?.error?.issues ?? [];
  const errors: Record<string, string> = {};
  for (const i of issues) errors[(keepPath ? String(i.path) : String(i.path).split('.')[0]) || 'form'] ??= i.message;
  if (!Object.keys(errors).length) errors.form = apiErrorMessage(error, status);
  return errors;
}

/** A form's text field, trimmed; empty is undefined. */
export const text = (form: FormData, name: string) => {
  const v = String(form.get(name) ?? '').trim();
  return v === '' ? undefined : v;
};
