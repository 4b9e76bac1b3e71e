import nodemailer, { type Transporter } from 'nodemailer';
import type { StoredSmtp } from './inbox-addresses';
import type { SecretBox } from './secret-box';

const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

/** What nodemailer connects with: the inbox's own server (password unsealed) or SMTP_URL. */
export function smtpOptions(smtp: StoredSmtp | undefined, defaultUrl: string | undefined, box: SecretBox) {
  if (smtp) {
    return {
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.passwordSealed ? box.open(smtp.passwordSealed) : '' } } : {}),
      ...TIMEOUTS,
    };
  }
  return defaultUrl;
}

/** One pooled transport per distinct server, reused across sends. */
export class SmtpTransports {
  private readonly cache = new Map<string, Transporter>();

  get(options: ReturnType<typeof smtpOptions>): Transporter | undefined {
    if (!options) return undefined;
    const key = JSON.stringify(options);
    let t = this.cache.get(key);
    if (!t) {
      t =
        typeof options === 'string'
          ? nodemailer.createTransport(options, TIMEOUTS as never)
          : nodemailer.createTransport(options);
      this.cache.set(key, t);
    }
    return t;
  }

  close() {
    for (const t of this.cache.values()) t.close();
    this.cache.clear();
  }
}
