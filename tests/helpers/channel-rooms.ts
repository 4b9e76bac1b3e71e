import { expect } from 'vitest';
import type { TestServer } from './test-server';

/** What the messaging-channel suites read and do in a room, as the admin, through the API. */
export function channelRooms(s: TestServer) {
  return {
    messagesOf: async (id: string) =>
      (await s.req('GET', `/conversations/${id}/messages?limit=200`, { auth: s.admin })).body.data as {
        id: string;
        authorKind: string;
        bodyText: string;
        attachments: { url: string; contentType: string }[];
      }[],
    deliveries: async (id: string) =>
      (await s.req('GET', `/conversations/${id}/channel-messages`, { auth: s.admin })).body.data as {
        messageId: string;
        network: string;
        direction: string;
        status: string;
        reason: string | null;
        attempts: number;
        segments: number | null;
      }[],
    /** The inbox's credentials are stored sealed: neither its settings row nor its audit trail holds them in clear. */
    async expectSealed(inboxId: string, secrets: string[]) {
      const row = await s.deps.db.selectFrom('inboxes').select('settings').where('id', '=', inboxId).executeTakeFirstOrThrow();
      const audit = await s.deps.db
        .selectFrom('audit_log')
        .select(['before', 'after'])
        .where('entity_id', '=', inboxId)
        .execute();
      const stored = JSON.stringify(row.settings);
      expect(stored).toMatch(/Sealed"/);
      expect(audit.length).toBeGreaterThan(0);
      for (const secret of secrets) {
        expect(stored).not.toContain(secret);
        expect(JSON.stringify(audit)).not.toContain(secret);
      }
    },
    async reply(conversationId: string, body: string, extra: Record<string, unknown> = {}) {
      const res = await s.req('POST', `/conversations/${conversationId}/messages`, { auth: s.admin, body: { body, ...extra } });
      expect(res.status).toBe(201);
      return res.body.id as string;
    },
  };
}
