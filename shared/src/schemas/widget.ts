import { z } from 'zod';

/** A pre-chat form question the admin adds (besides name and email). */
export const WidgetQuestion = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,39}$/, 'lower-case letters, digits and _')
    .meta({ description: 'Key the answer is stored under in the contact attributes' }),
  label: z.string().trim().min(1).max(200),
  required: z.boolean().default(false),
});

/** A proactive greeting: shown on pages whose URL contains `urlContains` after `afterSeconds` on the page. */
export const WidgetProactive = z.strictObject({
  urlContains: z.string().max(300).default(''),
  afterSeconds: z.number().int().min(0).max(3600).default(0),
  message: z.string().trim().min(1).max(500),
});

/**
 * What site owners change without touching their page: stored in inboxes.settings.widget, fetched by
 * the widget at boot. Every field is optional in a change; the widget fills in defaults.
 */
export const WidgetSettings = z
  .strictObject({
    color: z
      .string()
      .regex(/^#[0-9a-f]{6}$/i, 'a #rrggbb color')
      .optional(),
    position: z.enum(['right', 'left']).optional(),
    title: z.string().trim().min(1).max(100).optional(),
    greeting: z.string().trim().max(500).optional(),
    businessHours: z.string().trim().max(300).optional().meta({ description: 'Shown as is, e.g. "Mon–Fri 9–17 CET"' }),
    replyTime: z.string().trim().max(100).optional().meta({ description: 'Expected reply time when nobody is online' }),
    translations: z
      .record(
        z.string().regex(/^[a-z]{2}$/, 'a two-letter language code'),
        z.strictObject({
          greeting: z.string().trim().max(500).optional(),
          businessHours: z.string().trim().max(300).optional(),
          replyTime: z.string().trim().max(100).optional(),
        }),
      )
      .optional()
      .meta({
        description: "The greeting, hours and reply time in other languages, by language code: the visitor's language wins",
      }),
    features: z
      .strictObject({
        csat: z.boolean().optional(),
        history: z.boolean().optional(),
        emailCapture: z.boolean().optional(),
        attachments: z.boolean().optional(),
      })
      .optional(),
    preChatForm: z
      .strictObject({
        enabled: z.boolean(),
        requireEmail: z.boolean().optional(),
        questions: z.array(WidgetQuestion).max(10).optional(),
      })
      .optional(),
    bot: z
      .strictObject({
        enabled: z.boolean().optional().meta({ description: 'The bot answers new conversations first (default on)' }),
        name: z.string().trim().min(1).max(60).optional(),
        handoffAfterUnhelpful: z
          .number()
          .int()
          .min(1)
          .max(10)
          .optional()
          .meta({ description: 'Hand off after this many answers the customer said did not help (default 2)' }),
      })
      .optional(),
    identityRequired: z.boolean().optional().meta({ description: 'Refuse visitors without a valid identity hash' }),
    typingPreview: z
      .boolean()
      .optional()
      .meta({
        description:
          'Live typing preview (default off): agents see what the visitor types before they send it. The draft leaves the ' +
          "visitor's browser while they type (never stored), so say so in your privacy notice. Off: the widget never sends it.",
      }),
    proactive: z.array(WidgetProactive).max(10).optional(),
  })
  .meta({ id: 'WidgetSettings' });
export type WidgetSettings = z.infer<typeof WidgetSettings>;

export const WidgetAdmin = z
  .object({
    settings: WidgetSettings,
    identitySecret: z.string().meta({
      description: 'HMAC-SHA256 key: the site sends hash = hex(HMAC(secret, user id)) to verify a user',
    }),
  })
  .meta({ id: 'WidgetAdmin' });

export const CsatInput = z.strictObject({
  rating: z.number().int().min(1).max(5),
  comment: z.string().trim().max(2000).optional(),
});
