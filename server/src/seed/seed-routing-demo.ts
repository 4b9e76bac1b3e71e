import type { Actor } from '../domain/actor';
import { createUser } from '../domain/auth/users';
import { updateAgentRouting } from '../domain/routing/agents';
import { createRule } from '../domain/routing/rules';
import { createSkill } from '../domain/routing/skills';
import { createSlaPolicy } from '../domain/routing/sla-policies';
import { updateTeam } from '../domain/routing/teams';
import type { Db } from '../storage/db';

export const ROUTING_DEMO = { billingAgentEmail: 'billing@demo.autocrm.dev', billingAgentPassword: 'autocrm-demo-billing' };

/**
 * Routing for the demo workspace: the Support team in Madrid and the Billing team in New York, with
 * skills, business hours, holidays, capacities, a few rules and SLA policies. The demo conversations
 * are routed when the server starts; they wait in the queue until an agent signs in.
 */
export async function seedRoutingDemo(db: Db, admin: Actor, inboxIds: string[]) {
  const byEmail = async (email: string) =>
    db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow();
  const sam = await byEmail('agent@demo.autocrm.dev');
  const kim = await byEmail('supervisor@demo.autocrm.dev');
  const bea = await createUser(db, {
    actor: admin,
    input: {
      email: ROUTING_DEMO.billingAgentEmail,
      name: 'Bea Billing',
      role: 'agent',
      password: ROUTING_DEMO.billingAgentPassword,
    },
  });
  await db
    .insertInto('inbox_members')
    .values(inboxIds.map((inbox_id) => ({ inbox_id, user_id: bea.id })))
    .execute();

  const skill = async (name: string, kind: 'language' | 'product', code?: string) =>
    (await createSkill(db, { actor: admin, input: { name, kind, ...(code ? { code } : {}) } })).id;
  const english = await skill('English', 'language', 'en');
  const spanish = await skill('Spanish', 'language', 'es');
  const german = await skill('German', 'language', 'de');
  const billingSkill = await skill('Billing & invoices', 'product');
  const mobile = await skill('Mobile app', 'product');

  const teams = await db.selectFrom('teams').select(['id', 'name']).execute();
  const support = teams.find((t) => t.name === 'Support')?.id as string;
  const billing = teams.find((t) => t.name === 'Billing')?.id as string;
  const day = (start: string, end: string) => [{ start, end }];
  await updateTeam(db, {
    actor: admin,
    id: support,
    input: {
      timeZone: 'Europe/Madrid',
      businessHours: {
        mon: day('08:00', '18:00'),
        tue: day('08:00', '18:00'),
        wed: day('08:00', '18:00'),
        thu: day('08:00', '18:00'),
        fri: day('08:00', '16:00'),
      },
      holidays: [
        { date: '2026-12-25', name: 'Christmas Day' },
        { date: '2027-01-01', name: "New Year's Day" },
        { date: '2027-01-06', name: 'Epiphany' },
      ],
      members: [{ userId: kim.id, isLead: true }, { userId: sam.id }],
    },
  });
  await updateTeam(db, {
    actor: admin,
    id: billing,
    input: {
      timeZone: 'America/New_York',
      businessHours: {
        mon: day('09:00', '17:00'),
        tue: day('09:00', '17:00'),
        wed: day('09:00', '17:00'),
        thu: day('09:00', '17:00'),
        fri: day('09:00', '17:00'),
      },
      holidays: [
        { date: '2026-11-26', name: 'Thanksgiving' },
        { date: '2026-12-25', name: 'Christmas Day' },
      ],
      // Nobody in New York yet? After 15 minutes Support may take billing questions too.
      overflow: { afterMinutes: 15, teamId: support, relaxSkills: true },
      members: [{ userId: bea.id, isLead: true }],
    },
  });

  await updateAgentRouting(db, {
    actor: admin,
    userId: sam.id,
    input: {
      skills: [
        { skillId: english, level: 3 },
        { skillId: spanish, level: 2 },
        { skillId: mobile, level: 3 },
      ],
      capacity: { max: 4, perChannel: { email: 3 } },
    },
  });
  await updateAgentRouting(db, {
    actor: admin,
    userId: bea.id,
    input: {
      skills: [
        { skillId: english, level: 3 },
        { skillId: german, level: 2 },
        { skillId: billingSkill, level: 3 },
      ],
      capacity: { max: 3 },
    },
  });
  await updateAgentRouting(db, {
    actor: admin,
    userId: kim.id,
    input: { skills: [{ skillId: english, level: 2 }], capacity: { max: 2 } },
  });

  // Rules run in order; of two team actions the later rule wins, so the catch-all comes first.
  await createRule(db, {
    actor: admin,
    input: {
      name: 'Everything to Support',
      position: 0,
      conditions: [],
      actions: [{ type: 'route_to_team', teamId: support }],
    },
  });
  await createRule(db, {
    actor: admin,
    input: {
      name: 'Billing questions to Billing',
      position: 10,
      match: 'any',
      conditions: [
        { field: 'tags', op: 'includes', value: 'billing' },
        { field: 'text', op: 'contains', value: ['invoice', 'refund', 'charged', 'discount'] },
      ],
      actions: [
        { type: 'route_to_team', teamId: billing },
        { type: 'require_skill', skillId: billingSkill, minLevel: 2 },
      ],
    },
  });
  await createRule(db, {
    actor: admin,
    input: {
      name: 'App crashes need the mobile experts',
      position: 20,
      conditions: [{ field: 'text', op: 'contains', value: ['app crashes', 'iphone', 'android'] }],
      actions: [
        { type: 'require_skill', skillId: mobile, minLevel: 2 },
        { type: 'add_tags', tags: ['bug'] },
      ],
    },
  });
  await createRule(db, {
    actor: admin,
    input: {
      name: 'Enterprise is high priority',
      position: 30,
      conditions: [
        { field: 'custom_field', key: 'plan', op: 'equals', value: 'enterprise' },
        { field: 'priority', op: 'is', value: ['low', 'normal'] },
      ],
      actions: [{ type: 'set_priority', priority: 'high' }],
    },
  });

  await createSlaPolicy(db, {
    actor: admin,
    input: {
      name: 'Urgent',
      priority: 'urgent',
      firstResponseMinutes: 15,
      nextResponseMinutes: 30,
      resolutionMinutes: 240,
      breachRaisePriority: false,
      breachReassign: true,
    },
  });
  await createSlaPolicy(db, {
    actor: admin,
    input: {
      name: 'High',
      priority: 'high',
      firstResponseMinutes: 60,
      nextResponseMinutes: 120,
      resolutionMinutes: 480,
      businessHours: true,
    },
  });
  await createSlaPolicy(db, {
    actor: admin,
    input: {
      name: 'Normal',
      priority: 'normal',
      firstResponseMinutes: 240,
      nextResponseMinutes: 240,
      resolutionMinutes: 1440,
      businessHours: true,
      breachRaisePriority: true,
    },
  });
  await createSlaPolicy(db, {
    actor: admin,
    input: {
      name: 'Low',
      priority: 'low',
      firstResponseMinutes: 480,
      resolutionMinutes: 2880,
      businessHours: true,
    },
  });
}
