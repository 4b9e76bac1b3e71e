import { z } from 'zod';
import { Role } from '../enums';
import { Password, User } from './admin';
import { Id, Line, Timestamp } from './common';

// Accounts: invitations, forgotten password, two-factor sign-in, the own profile and its sessions.

const Email = z.email().max(320).toLowerCase();
/** A link token from a mail (invitation or password reset). */
const LinkToken = z.string().min(20).max(200);
/** A six-digit TOTP code or a recovery code (xxxxx-xxxxx). */
const Code = z
  .string()
  .trim()
  .min(6)
  .max(20)
  .meta({ description: 'A six-digit code from the authenticator app, or a recovery code' });

export const Invitation = z
  .object({
    id: Id,
    email: z.string(),
    name: z.string().nullable(),
    role: Role,
    inboxIds: z.array(Id),
    invitedBy: z.string().nullable().meta({ description: 'Name of the admin who invited' }),
    status: z.enum(['sending', 'pending', 'expired', 'accepted', 'revoked']),
    sentAt: Timestamp.nullable(),
    expiresAt: Timestamp.nullable(),
    createdAt: Timestamp,
  })
  .meta({ id: 'Invitation' });

export const InvitationCreate = z
  .strictObject({
    email: Email,
    name: Line(200).optional(),
    role: Role,
    inboxIds: z.array(Id).max(200).default([]),
    language: z
      .string()
      .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/)
      .max(35)
      .optional()
      .meta({ description: 'Language of the invitation mail (`en`, `de`, …); default: the inviting admin’s' }),
  })
  .meta({ id: 'InvitationCreate' });

export const InvitationPreview = z
  .object({ email: z.string(), name: z.string().nullable(), role: Role, invitedBy: z.string().nullable(), expiresAt: Timestamp })
  .meta({ id: 'InvitationPreview' });

export const InvitationAccept = z
  .strictObject({ token: LinkToken, name: Line(200), password: Password })
  .meta({ id: 'InvitationAccept' });

export const PasswordResetRequest = z.strictObject({ email: Email }).meta({ id: 'PasswordResetRequest' });
export const PasswordResetComplete = z
  .strictObject({ token: LinkToken, password: Password })
  .meta({ id: 'PasswordResetComplete' });

/** What the password step answers: a session, or the second step that is still owed. */
export const SignInResult = z
  .union([
    z.object({
      status: z.literal('signed_in'),
      user: User,
      csrfToken: z.string().meta({ description: 'Send as X-CSRF-Token on writes' }),
      recoveryCodes: z.array(z.string()).optional().meta({ description: 'Only right after enrolment; shown once' }),
    }),
    z.object({
      status: z.enum(['two_factor_required', 'two_factor_enrolment_required']),
      challenge: z.string().meta({ description: 'Pass to /auth/login/two-factor (or .../enrol); good for 10 minutes' }),
    }),
  ])
  .meta({ id: 'SignInResult' });

export const TwoFactorStep = z.strictObject({ challenge: z.string().min(10).max(200), code: Code }).meta({ id: 'TwoFactorStep' });
export const ChallengeRef = z.strictObject({ challenge: z.string().min(10).max(200) }).meta({ id: 'ChallengeRef' });
export const TotpCode = z.strictObject({ code: Code }).meta({ id: 'TotpCode' });
export const PasswordConfirm = z.strictObject({ password: z.string().min(1).max(200) }).meta({ id: 'PasswordConfirm' });

export const TotpSetup = z
  .object({
    secret: z.string().meta({ description: 'Base32 key to type into an authenticator app' }),
    otpauthUrl: z.string(),
    qrSvg: z.string().meta({ description: 'The otpauth URL as an SVG QR code' }),
  })
  .meta({ id: 'TotpSetup' });

export const RecoveryCodes = z.object({ recoveryCodes: z.array(z.string()) }).meta({ id: 'RecoveryCodes' });

export const Profile = z
  .object({
    id: Id,
    email: z.string(),
    name: z.string(),
    displayName: z.string().nullable(),
    initials: z.string(),
    avatarUrl: z.string().nullable().meta({ description: 'The profile picture (changes when it does); null: show the initials' }),
    locale: z.string().nullable(),
    role: Role,
    twoFactor: z.object({
      enabled: z.boolean(),
      enabledAt: Timestamp.nullable(),
      recoveryCodesLeft: z.number().int(),
      requiredByWorkspace: z.boolean(),
    }),
  })
  .meta({ id: 'Profile' });

export const ProfileUpdate = z
  .strictObject({
    name: Line(200).optional(),
    displayName: Line(100).nullable().optional(),
    locale: z
      .string()
      .regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'a locale such as en or de-AT')
      .nullable()
      .optional(),
  })
  .meta({ id: 'ProfileUpdate' });

export const SessionEntry = z
  .object({
    id: z.string(),
    current: z.boolean(),
    device: z.string().meta({ description: 'Browser and system, read from the user agent' }),
    ip: z.string().nullable(),
    createdAt: Timestamp,
    lastSeenAt: Timestamp,
  })
  .meta({ id: 'SessionEntry' });

export const SecuritySettings = z
  .object({
    requireTwoFactorRoles: z
      .array(Role)
      .meta({ description: 'Users of these roles must sign in with a second factor (all three: everyone)' }),
  })
  .meta({ id: 'SecuritySettings' });
export const SecuritySettingsUpdate = z
  .strictObject({ requireTwoFactorRoles: z.array(Role).max(3) })
  .meta({ id: 'SecuritySettingsUpdate' });
