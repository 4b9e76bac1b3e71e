import { type Action, fail } from '@sveltejs/kit';
import { t } from '$lib/strings';
import { apiClient, apiErrorMessage } from './client';

// The contact-notes card's form actions, shared by the contact page and the room (whose sidebar shows
// the card too). Plain form actions: they work without JavaScript. The form names its contact; the API
// checks that this agent may see it.

/** Adds a note (`contactId`, `body`); the API's message when it refuses. */
export const addContactNoteAction: Action = async (event) => {
  const form = await event.request.formData();
  const contactId = String(form.get('contactId') ?? '');
  const body = String(form.get('body') ?? '').trim();
  if (!body) return fail(400, { contactNote: { error: t.contactNotes.empty, body } });
  const { data, error, response } = await apiClient(event).POST('/contacts/{id}/notes', {
    params: { path: { id: contactId } },
    body: { body },
  });
  if (!data)
    return fail(response.status === 404 ? 404 : 400, {
      contactNote: { error: apiErrorMessage(error, response.status), body },
    });
  return { contactNoteAdded: data.id };
};

/** Deletes a note (`contactId`, `noteId`): its author or an admin. */
export const deleteContactNoteAction: Action = async (event) => {
  const form = await event.request.formData();
  const contactId = String(form.get('contactId') ?? '');
  const noteId = String(form.get('noteId') ?? '');
  const { error, response } = await apiClient(event).DELETE('/contacts/{id}/notes/{noteId}', {
    params: { path: { id: contactId, noteId } },
  });
  if (!response.ok)
    return fail(response.status === 403 || response.status === 404 ? response.status : 400, {
      contactNote: { error: apiErrorMessage(error, response.status) },
    });
  return { contactNoteDeleted: noteId };
};
