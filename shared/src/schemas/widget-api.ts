import { z } from 'zod';
import { VisitorInfoInput } from './contacts';
import { KbSearchHit } from './kb';
import { CsatInput, WidgetProactive, WidgetSettings } from './widget';

// The widget's HTTP API (/widget-api/v1/*) on the wire: what the widget on a customer's page sends and
// gets. Tokens travel in the body, never in cookies; the OpenAPI document lists these operations with
// `security: []` and their own server URL.

const Token = z.string().min(1).max(200);
const Attributes = z
  .record(z.string().regex(/^[A-Za-z][\w.-]{0,39}$/), z.union([z.string().max(500), z.number(), z.boolean()]))
  .refine((r) => Object.keys(r).length <= 30, 'at most 30 attributes');
/** The two tokens that name a visitor of one website. */
const VisitorAuth = { websiteToken: Token, visitorToken: Token };

export const WidgetVisitorCreate = z
  .strictObject({
    websiteToken: Token,
    user: z
      .strictObject({
        id: z.string().min(1).max(200).optional(),
        email: z.email().max(320).optional(),
        name: z.string().trim().min(1).max(200).optional(),
        hash: z.string().max(200).optional(),
        token: z.string().max(4000).optional(),
        attributes: Attributes.optional(),
      })
      .optional()
      .meta({ description: "The site's signed-in user, when there is one" }),
  })
  .meta({ id: 'WidgetVisitorCreate' });

export const WidgetVisitor = z
  .object({ visitorToken: z.string(), contactId: z.string(), verified: z.boolean() })
  .meta({ id: 'WidgetVisitor' });

export const WidgetConfigQuery = z.object({
  websiteToken: Token,
  locale: z.string().optional().meta({ description: "The visitor's language: its texts win where the inbox has them" }),
});

/** What the widget gets at boot: public settings only (never the identity secret), plus who is online now. */
export const WidgetConfig = z
  .object({
    title: z.string(),
    color: z.string(),
    position: z.enum(['right', 'left']),
    greeting: z.string().nullable(),
    businessHours: z.string().nullable(),
    replyTime: z.string().nullable(),
    features: z.object({ csat: z.boolean(), history: z.boolean(), emailCapture: z.boolean(), attachments: z.boolean() }),
    preChatForm: WidgetSettings.shape.preChatForm.unwrap(),
    identityRequired: z.boolean(),
    /** On: the widget sends the visitor's draft while they type (throttled); agents see it greyed, never stored. */
    typingPreview: z.boolean(),
    proactive: z.array(WidgetProactive),
    bot: z.object({ enabled: z.boolean(), name: z.string() }),
    agentsOnline: z.number().int(),
  })
  .meta({ id: 'WidgetConfig' });

export const WidgetContextInput = VisitorInfoInput.extend(VisitorAuth).meta({ id: 'WidgetContextInput' });

export const WidgetProfileUpdate = z
  .strictObject({
    ...VisitorAuth,
    name: z.string().trim().min(1).max(200).optional(),
    email: z.email().max(320).optional(),
    attributes: Attributes.optional(),
  })
  .meta({ id: 'WidgetProfileUpdate' });

export const WidgetSuggestionsRequest = z
  .strictObject({
    websiteToken: Token,
    visitorToken: Token.optional(),
    pageUrl: z.string().max(2000).optional(),
    pageTitle: z.string().max(300).optional(),
    locale: z
      .string()
      .regex(/^[a-z]{2}(-[A-Za-z]{2})?$/)
      .optional(),
  })
  .meta({ id: 'WidgetSuggestionsRequest' });

export const WidgetSuggestions = z.object({ hits: z.array(KbSearchHit) }).meta({ id: 'WidgetSuggestions' });

export const WidgetCsatInput = z
  .strictObject({ ...VisitorAuth, conversationId: z.uuid(), ...CsatInput.shape })
  .meta({ id: 'WidgetCsatInput' });

export const WidgetCsat = z
  .object({ rating: z.number().int().nullable(), comment: z.string().nullable(), ratedAt: z.string().nullable() })
  .meta({ id: 'WidgetCsat' });
