import type { WorkspaceUser } from '$lib/types';

declare global {
  namespace App {
    interface Locals {
      user: WorkspaceUser | null;
      csrfToken: string | null;
      sessionCookie: string | null;
    }
    interface Platform {
      req?: import('node:http').IncomingMessage & { autocrmApi?: (req: Request, env: unknown) => Response | Promise<Response> };
    }
  }
}
