import type { SubmitFunction } from '@sveltejs/kit';
import { applyAction } from '$app/forms';

/** In-place form actions in the room: show the action's result without reloading the page's data. */
export const applyOnly: SubmitFunction =
  () =>
  async ({ result }) => {
    await applyAction(result);
  };

/** Submit a select's form as soon as it changes (the ticket fields save on change). */
export const autoSubmit = (e: Event) => (e.currentTarget as HTMLSelectElement).form?.requestSubmit();
