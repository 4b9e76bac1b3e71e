import type { components } from '@autocrm/shared/api-types';

declare global {
  namespace App {
    interface Locals {
      user: components['schemas']['User'] | null;
      csrfToken: string | null;
      sessionCookie: string | null;
    }
    interface Platform {
      req?: import('node:http').IncomingMessage & { autocrmApi?: (req: Request, env: unknown) => Response | Promise<Response> };
    }
  }
}
