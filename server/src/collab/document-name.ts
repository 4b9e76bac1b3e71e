const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `draft:<conversationId>` -> the conversation id; anything else -> undefined. */
export function conversationIdOf(documentName: string): string | undefined {
  const m = /^draft:(.+)$/.exec(documentName);
  return m && UUID.test(m[1]!) ? m[1]!.toLowerCase() : undefined;
}

export const draftDocumentName = (conversationId: string) => `draft:${conversationId}`;
