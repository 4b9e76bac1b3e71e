import type { components } from '@autocrm/shared/api-types';

declare global {
  namespace App {
    interface Locals {
      user: components['schemas']['User'] | null;
      csrfToken: string | null;
      sessionCookie: string | null;
      /** The page's language, set by the layout that knows it: the server-rendered <html lang> says it. */
      lang?: string;
    }
    interface Platform {
      req?: import('node:http').IncomingMessage & { autocrmApi?: (req: Request, env: unknown) => Response | Promise<Response> };
    }
  }
}
