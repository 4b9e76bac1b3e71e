/**
 * CSV cells for files people open in spreadsheets: every cell quoted, and a cell that starts with
 * = + - @ (or a tab or CR) prefixed with ' so it is shown as text, not run as a formula (OWASP).
 */
export const csvCell = (v: unknown) => {
  let s = v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
};

/** The reverse on import: a ' that only guards a formula character is dropped, so an export imports back unchanged. */
export const uncsvCell = (s: string) => (/^'[=+\-@\t\r]/.test(s) ? s.slice(1) : s);
