/** What the widget's pieces share: the inbox's public config, the boot options, the views. */
export interface Config {
  title: string;
  color: string;
  position: 'left' | 'right';
  greeting: string | null;
  businessHours: string | null;
  replyTime: string | null;
  features: { csat: boolean; history: boolean; emailCapture: boolean; attachments: boolean };
  preChatForm: { enabled: boolean; requireEmail?: boolean; questions?: { id: string; label: string; required: boolean }[] };
  identityRequired: boolean;
  proactive: { urlContains: string; afterSeconds: number; message: string }[];
  agentsOnline: number;
  /** Live typing preview on: the draft goes to the agents while the visitor types (never when off). */
  typingPreview?: boolean;
  /** The inbox's bot, when the server tells (its name); otherwise the translated "Assistant". */
  bot?: { enabled?: boolean; name?: string | null } | null;
}
export interface User {
  id?: string;
  email?: string;
  name?: string;
  hash?: string;
  /** Or a JWT (HS256, the inbox's identity secret, sub = user id, exp required) from the site's backend. */
  token?: string;
  attributes?: Record<string, string | number | boolean>;
}
export interface BootOptions {
  websiteToken: string;
  user?: User;
  locale?: string;
  hideLauncher?: boolean;
  /**
   * A service worker script on the site's own origin that imports the widget's
   * (`importScripts('https://support.example.com/widget/sw.js')`): with it the widget offers "Notify me".
   */
  pushWorker?: string;
}
/** The first message of a conversation not started yet (kept across reloads, sent again with its id). */
export interface PendingStart {
  clientId: string;
  body: string;
}
/** past: a conversation of another channel, read only (elsewhere.ts). */
export type View = 'list' | 'chat' | 'prechat' | 'past';
export type Tab = 'chat' | 'help';
export type Owner = 'bot' | 'human';
export type Vars = Record<string, string | number>;
