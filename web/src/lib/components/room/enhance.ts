import type { SubmitFunction } from '@sveltejs/kit';
import { applyAction } from '$app/forms';

/**
 * In-place form actions in the room: show the action's result without reloading the page's data. The focus
 * stays where it was: after a successful action SvelteKit moves it to the page, and an agent changing the
 * ticket's fields from the keyboard would lose their place after each one.
 */
export const applyOnly: SubmitFunction =
  () =>
  async ({ result }) => {
    const focused = document.activeElement;
    await applyAction(result);
    if (focused instanceof HTMLElement && focused !== document.body && focused.isConnected && document.activeElement !== focused)
      focused.focus({ preventScroll: true });
  };
