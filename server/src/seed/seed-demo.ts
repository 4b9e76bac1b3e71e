import { sql } from 'kysely';
import { SYSTEM } from '../domain/actor';
import { createCustomField } from '../domain/admin/custom-field-definitions';
import { createInbox } from '../domain/admin/inboxes';
import { createStatus } from '../domain/admin/status-definitions';
import { createTag } from '../domain/admin/tag-definitions';
import { createUser } from '../domain/auth/users';
import { createConversation } from '../domain/conversations/create-conversation';
import { updateConversation } from '../domain/conversations/update-conversation';
import { createMacro } from '../domain/macros/macros';
import { postMessage } from '../domain/messages/post-message';
import { updateWidgetSettings } from '../domain/widget/settings';
import { emit } from '../events/outbox';
import type { Db } from '../storage/db';
import { seedRoutingDemo } from './seed-routing-demo';

export const DEMO = {
  adminEmail: 'admin@demo.autocrm.dev',
  adminPassword: 'autocrm-demo-admin',
  agentEmail: 'agent@demo.autocrm.dev',
  agentPassword: 'autocrm-demo-agent',
};

/**
 * The demo workspace a new user sees after `npm start`: people, inboxes, tags, statuses, custom fields
 * and a few conversations, all made through the same commands the API uses. Only on a fresh database.
 */
export async function seedDemoWorkspace(
  db: Db,
  opts: { fresh: boolean; adminFromEnv?: { email: string; password: string } | undefined },
) {
  const marker = await db.selectFrom('settings').select('value').where('key', '=', 'demo').executeTakeFirst();
  if (marker) return marker.value as typeof DEMO & { websiteToken: string | null };
  if (!opts.fresh) return undefined;

  const admin = opts.adminFromEnv
    ? await db
        .selectFrom('users')
        .select(['id', 'name', 'role'])
        .where('email', '=', opts.adminFromEnv.email.toLowerCase())
        .executeTakeFirstOrThrow()
    : await createUser(db, {
        actor: SYSTEM,
        input: { email: DEMO.adminEmail, name: 'Ada Admin', role: 'admin', password: DEMO.adminPassword },
      });
  const agent = await createUser(db, {
    actor: SYSTEM,
    input: {
      email: DEMO.agentEmail,
      name: 'Sam Agent',
      role: 'agent',
      password: DEMO.agentPassword,
    },
  });
  await createUser(db, {
    actor: SYSTEM,
    input: {
      email: 'supervisor@demo.autocrm.dev',
      name: 'Kim Supervisor',
      role: 'supervisor',
      password: 'autocrm-demo-supervisor',
    },
  });
  const adminActor = { kind: 'user' as const, id: admin.id, role: 'admin' as const, name: admin.name };
  const agentActor = { kind: 'user' as const, id: agent.id, role: 'agent' as const, name: agent.name };

  const [web, email] = await db.transaction().execute(async (trx) => [
    await createInbox(trx, { actor: adminActor, input: { name: 'Website chat', channel: 'web', members: [agent.id] } }),
    await createInbox(trx, {
      actor: adminActor,
      input: { name: 'support@demo.autocrm.dev', channel: 'email', members: [agent.id] },
    }),
  ]);
  // What a visitor sees on /demo: a greeting, honest hours and reply time, and the bot by name.
  await updateWidgetSettings(db, {
    actor: adminActor,
    inboxId: web.id,
    change: {
      title: 'Northwind Cloud support',
      greeting: 'Hi! Ask us anything about Northwind Cloud — our assistant answers right away, and a person is one click away.',
      businessHours: 'Mon–Fri 9:00–17:00 CET',
      replyTime: 'within a few hours',
      translations: {
        de: {
          greeting:
            'Hallo! Fragen Sie uns alles zu Northwind Cloud — unser Assistent antwortet sofort, und ein Mensch ist nur einen Klick entfernt.',
          businessHours: 'Mo–Fr 9:00–17:00 MEZ',
          replyTime: 'innerhalb weniger Stunden',
        },
      },
      bot: { enabled: true, name: 'Northwind Assistant' },
    },
  });
  for (const [name, color] of [
    ['billing', '#f59e0b'],
    ['bug', '#ef4444'],
    ['feature-request', '#3b82f6'],
    ['vip', '#8b5cf6'],
  ] as const) {
    await createTag(db, { actor: adminActor, input: { name, color } });
  }
  await createStatus(db, { actor: adminActor, input: { name: 'Waiting on third party', category: 'pending', position: 15 } });
  await createCustomField(db, {
    actor: adminActor,
    input: {
      key: 'plan',
      label: 'Plan',
      type: 'single_select',
      options: ['free', 'pro', 'enterprise'],
    },
  });
  await createCustomField(db, { actor: adminActor, input: { key: 'order_number', label: 'Order number', type: 'text' } });
  await createCustomField(db, { actor: adminActor, input: { key: 'seats', label: 'Seats', type: 'number' } });
  await createCustomField(db, { actor: adminActor, input: { key: 'renewal_date', label: 'Renewal date', type: 'date' } });
  await createCustomField(db, {
    actor: adminActor,
    input: {
      key: 'products',
      label: 'Products',
      type: 'multi_select',
      options: ['chat', 'email', 'voice'],
    },
  });
  await db
    .insertInto('teams')
    .values([{ name: 'Support' }, { name: 'Billing' }])
    .execute();
  // Written without an audited change: say so to the calendar and rule caches like one would.
  await emit(db, 'cache.stale', { keys: ['calendars', 'routing-rules'] });
  await seedRoutingDemo(db, adminActor, [web.id, email.id]);

  const statuses = await db.selectFrom('statuses').select(['id', 'name']).execute();
  const statusId = (name: string) => statuses.find((s) => s.name === name)?.id;

  // Shared macros: a public reply (with variables), an internal note and field changes, applied from
  // the reply box or by typing /shortcut.
  const solved = await db.selectFrom('statuses').select('id').where('category', '=', 'resolved').executeTakeFirst();
  const billing = await db.selectFrom('teams').select('id').where('name', '=', 'Billing').executeTakeFirst();
  await createMacro(db, {
    actor: adminActor,
    raw: {
      name: 'Greeting',
      shortcut: 'hello',
      body: '<p>Hi {{contact.first_name | fallback: "there"}}, thanks for reaching out! I am {{agent.first_name}} and I will help you with this.</p>',
      visibility: 'shared',
    },
  });
  await createMacro(db, {
    actor: adminActor,
    raw: {
      name: 'Ask for details',
      shortcut: 'moreinfo',
      body: '<p>Could you tell me a bit more: what did you expect, and what happened instead?</p>',
      visibility: 'shared',
    },
  });
  if (solved) {
    await createMacro(db, {
      actor: adminActor,
      raw: {
        name: 'Close as solved',
        shortcut: 'thanks',
        body: '<p>Thanks {{contact.first_name | fallback: "again"}}! I am marking #{{conversation.number}} as solved; just reply if anything else comes up.</p>',
        actions: [
          { type: 'set_status', statusId: solved.id },
          { type: 'add_tags', tags: ['solved'] },
        ],
        visibility: 'shared',
      },
    });
  }
  if (billing) {
    // The escalation is for colleagues: it goes as an internal note, and the reply box stays empty.
    await createMacro(db, {
      actor: adminActor,
      raw: {
        name: 'Escalate to billing',
        shortcut: 'billing',
        body: '',
        note: '<p>Escalated to Billing by {{agent.name}}: please check the invoice history of {{contact.email | fallback: "this customer"}} before replying.</p>',
        actions: [
          { type: 'set_team', teamId: billing.id },
          { type: 'set_priority', priority: 'high' },
          { type: 'add_tags', tags: ['billing'] },
        ],
        visibility: 'shared',
      },
    });
  }
  await createMacro(db, {
    actor: adminActor,
    raw: {
      name: 'Take it',
      shortcut: 'take',
      body: '<p>Hi {{contact.first_name | fallback: "there"}}! I am looking into this for you now.</p>',
      actions: [{ type: 'assign', assigneeId: 'me' }],
      visibility: 'shared',
    },
  });

  const c1 = await createConversation(db, {
    actor: adminActor,
    input: {
      inboxId: web.id,
      subject: 'Cannot export my invoices',
      contact: { name: 'Maria Lopez', email: 'maria@example.com', attributes: { company: 'Lopez Design', city: 'Madrid' } },
      priority: 'high',
      tags: ['billing'],
      customFields: { plan: 'pro', seats: 12 },
      message: { body: 'Hi! The "Export invoices" button does nothing since yesterday. Can you help?' },
    },
  });
  // Agents' sample replies carry a `seed:` client id: the email channel never mails them to the
  // made-up customers (a demo started with SMTP_URL would otherwise send them).
  await postMessage(db, {
    actor: agentActor,
    conversationId: c1.id,
    input: { body: '<p>Hi Maria, sorry about that! Which browser are you using?</p>', clientId: 'seed:c1-reply' },
  });
  await postMessage(db, {
    actor: agentActor,
    conversationId: c1.id,
    input: {
      body: '<p>Looks like the PDF worker queue is stuck, checking with <strong>engineering</strong>.</p>',
      private: true,
    },
  });
  await postMessage(db, {
    actor: adminActor,
    conversationId: c1.id,
    input: { body: 'Chrome, latest version.', from: 'contact' },
  });
  await updateConversation(db, { actor: adminActor, id: c1.id, update: { assigneeId: agent.id } });

  await createConversation(db, {
    actor: adminActor,
    input: {
      inboxId: web.id,
      subject: 'Do you offer a discount for nonprofits?',
      contact: { name: 'Tom Becker', email: 'tom@charity.example.org' },
      tags: ['feature-request'],
      customFields: { plan: 'free' },
      message: { body: 'We are a small nonprofit. Is there a special price for us?' },
    },
  });
  const c3 = await createConversation(db, {
    actor: adminActor,
    input: {
      inboxId: email.id,
      subject: 'App crashes when uploading a photo',
      contact: { name: 'Yuki Tanaka', email: 'yuki@example.jp', attributes: { device: 'iPhone 15' } },
      priority: 'urgent',
      tags: ['bug', 'vip'],
      customFields: { plan: 'enterprise', seats: 250, renewal_date: '2027-03-01', products: ['chat', 'voice'] },
      message: { body: 'Every time I attach a photo from the gallery the app closes. This blocks our field team.' },
    },
  });
  await postMessage(db, {
    actor: agentActor,
    conversationId: c3.id,
    input: { body: '<p>Thanks Yuki, we reproduced it and a fix ships tomorrow.</p>', clientId: 'seed:c3-reply' },
  });
  const c4 = await createConversation(db, {
    actor: adminActor,
    input: {
      inboxId: web.id,
      subject: 'How do I add a teammate?',
      contact: { name: 'Priya Natarajan', email: 'priya@example.in' },
      priority: 'low',
      message: { body: 'How can I invite a colleague to our account?' },
    },
  });
  await postMessage(db, {
    actor: agentActor,
    conversationId: c4.id,
    input: { body: '<p>Go to <em>Settings → Team</em> and click <strong>Invite</strong>.</p>', clientId: 'seed:c4-reply' },
  });
  const resolved = statusId('Resolved');
  if (resolved) await updateConversation(db, { actor: agentActor, id: c4.id, update: { statusId: resolved } });
  const waiting = statusId('Waiting on customer');
  const c5 = await createConversation(db, {
    actor: adminActor,
    input: {
      inboxId: email.id,
      subject: 'Order #4411 arrived damaged',
      contact: { name: 'Liam O’Brien', email: 'liam@example.ie' },
      customFields: { order_number: '4411' },
      message: { body: 'The box was crushed and the screen is cracked.' },
    },
  });
  await postMessage(db, {
    actor: agentActor,
    conversationId: c5.id,
    input: { body: '<p>So sorry! Could you send a photo of the damage?</p>', clientId: 'seed:c5-reply' },
  });
  if (waiting) await updateConversation(db, { actor: agentActor, id: c5.id, update: { statusId: waiting } });

  const info = {
    ...DEMO,
    ...(opts.adminFromEnv ? { adminEmail: opts.adminFromEnv.email, adminPassword: '(from ADMIN_PASSWORD)' } : {}),
    websiteToken: web.websiteToken,
  };
  await db
    .insertInto('settings')
    .values({ key: 'demo', value: JSON.stringify(info), updated_at: sql<Date>`now()` })
    .execute();
  return info;
}
