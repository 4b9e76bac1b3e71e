import type { Locator, Page } from 'playwright-core';

// Drives the workspace's Picker (web/src/lib/components/Picker.svelte) the way a person does: click the
// combobox, click an option. The combobox exists once the page is hydrated (before that it is a native
// select), so finding it also waits for hydration.

type Scope = Page | Locator;
/** An option by its visible text (label and hint, exactly), or by its value. */
export type PickOption = string | { value: string };

const pageOf = (scope: Scope): Page => ('page' in scope ? scope.page() : scope);

/** The picker's button: the combobox named `label` in scope. */
export function picker(scope: Scope, label: string): Locator {
  return scope.getByRole('combobox', { name: label, exact: true });
}

/** What a picker's button shows (its label and hint, without avatar initials or icon names). */
export async function pickerText(button: Locator): Promise<string> {
  return ((await button.locator('[data-text]').textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/** Opens the picker labelled `label` (unless it is open) and returns its button and listbox. */
export async function openPicker(scope: Scope, label: string): Promise<{ button: Locator; listbox: Locator }> {
  const button = picker(scope, label);
  if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
  const page = pageOf(scope);
  // The button names its listbox (aria-controls) only while it is open.
  await button.and(page.locator('[aria-expanded="true"][aria-controls]')).waitFor();
  const listbox = page.locator(`[id="${await button.getAttribute('aria-controls')}"]`);
  await listbox.waitFor();
  return { button, listbox };
}

/** Opens the picker labelled `label` and picks `option`; waits until the button shows it. */
export async function pick(scope: Scope, label: string, option: PickOption): Promise<void> {
  const { button, listbox } = await openPicker(scope, label);
  const item =
    typeof option === 'string'
      ? listbox.getByRole('option', { name: option, exact: true })
      : listbox.locator(`[role="option"][data-value="${option.value}"]`);
  const value = await item.getAttribute('data-value');
  await item.click();
  const id = await button.getAttribute('id');
  await pageOf(scope).locator(`[id="${id}"][aria-expanded="false"][data-value="${value}"]`).waitFor();
}

/** The texts of a picker's options, as shown (without avatar initials); opened and closed again with Escape. */
export async function pickerOptions(scope: Scope, label: string): Promise<string[]> {
  const { listbox } = await openPicker(scope, label);
  const texts = await listbox.locator('[role="option"] [data-text]').allTextContents();
  await pageOf(scope).keyboard.press('Escape');
  await listbox.waitFor({ state: 'detached' });
  return texts.map((x) => x.replace(/\s+/g, ' ').trim());
}
