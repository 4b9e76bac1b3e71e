import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { EVENT_TYPES } from '@autocrm/shared';
import createClient from 'openapi-fetch';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENERATED_TYPES_PATH, renderApiTypes } from '../scripts/gen-api-types';
import type { paths } from '../shared/src/generated/api-v1';
import { BACKEND, startTestServer, type TestServer } from './helpers/test-server';

const METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options', 'trace'] as const;

/** Every operation of the document as [method, path, operation]. */
function operations(doc: any): [string, string, any][] {
  const ops: [string, string, any][] = [];
  for (const [p, item] of Object.entries<any>(doc.paths)) {
    for (const m of METHODS) if (item[m]) ops.push([m, p, item[m]]);
  }
  return ops;
}

/** All `$ref` values anywhere under `node`. */
function refsIn(node: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const v of node) refsIn(v, out);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.add(v);
      else refsIn(v, out);
    }
  }
  return out;
}

/** What `npm run gen:api` writes (its own function, so the options it gives openapi-typescript count too). */
const generateTypes = renderApiTypes;

function firstDifference(a: string, b: string): string {
  const al = a.split('\n');
  const bl = b.split('\n');
  for (let i = 0; i < Math.max(al.length, bl.length); i++) {
    if (al[i] !== bl[i]) return `line ${i + 1}: generated ${JSON.stringify(al[i])} vs checked in ${JSON.stringify(bl[i])}`;
  }
  return 'none';
}

describe(`OpenAPI document and API reference (${BACKEND})`, () => {
  let s: TestServer;
  let doc: any;
  let tmp: string;

  beforeAll(async () => {
    s = await startTestServer();
    tmp = await mkdtemp(path.join(tmpdir(), 'autocrm-openapi-'));
    const res = await fetch(`${s.url}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    doc = await res.json();
  });
  afterAll(async () => {
    await s?.close();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toBeTruthy();
    expect(doc.servers).toEqual([{ url: '/api/v1' }]);
    // validate() dereferences in place: hand it a copy so later tests see the $refs.
    await expect(SwaggerParser.validate(structuredClone(doc))).resolves.toBeTruthy();
    // And it really validates: a broken document is refused.
    const broken = structuredClone(doc);
    broken.paths['/conversations'].post.responses['201'].content['application/json'].schema = {
      $ref: '#/components/schemas/NoSuchSchema',
    };
    await expect(SwaggerParser.validate(broken)).rejects.toThrow(/NoSuchSchema/);
  });

  it('documents every operation with a summary, tags and the scope it needs', () => {
    const ops = operations(doc);
    expect(ops.length).toBeGreaterThanOrEqual(30);
    const scopes = new Set([...doc.components.schemas.Scope.enum, 'user']);
    const problems: string[] = [];
    for (const [m, p, op] of ops) {
      const where = `${m.toUpperCase()} ${p}`;
      if (typeof op.summary !== 'string' || !op.summary.trim()) problems.push(`${where}: no summary`);
      if (!Array.isArray(op.tags) || op.tags.length === 0) problems.push(`${where}: no tags`);
      const scope = op['x-required-scope'];
      // Public: signing in (and its second step), the ends of mailed links, the help center's articles,
      // a widget visitor's transcript request and the widget's own API (proved by the website and
      // visitor tokens).
      // The customer portal: its sign-in operations are public; the rest need a portal session, not a scope.
      if (p.startsWith('/portal/')) {
        if (!op.tags?.includes('Portal')) problems.push(`${where}: portal operation not tagged Portal`);
        if (scope !== undefined) problems.push(`${where}: portal operation names scope ${scope}`);
        const portalSecurity = JSON.stringify(op.security ?? null);
        // The push key is the VAPID public key: the browser needs it before it subscribes, and it is no secret.
        const publicPortal = p.startsWith('/portal/sign-in/') || p === '/portal/branding' || p === '/portal/push/public-key';
        if (portalSecurity !== (publicPortal ? '[]' : '[{"portalSession":[]}]'))
          problems.push(`${where}: portal security ${portalSecurity}`);
        continue;
      }
      const isPublic =
        p === '/auth/login' ||
        /^\/auth\/(login\/|invitations|password-reset)/.test(p) ||
        p.startsWith('/help/') ||
        p === '/email/transcript' ||
        p.startsWith('/widget-api/v1/');
      if (isPublic) {
        if (scope !== undefined) problems.push(`${where}: public, yet names scope ${scope}`);
        if (op.security?.length) problems.push(`${where}: public, yet declares security`);
      } else {
        if (!scopes.has(scope)) problems.push(`${where}: x-required-scope ${JSON.stringify(scope)} is not a scope`);
        if (!op.security?.length) problems.push(`${where}: no security requirement`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('uses shared components: errors are #/components/schemas/Error, conversations and messages are components', () => {
    for (const name of ['Conversation', 'Message', 'Error']) expect(doc.components.schemas[name], name).toBeTruthy();
    const problems: string[] = [];
    for (const [m, p, op] of operations(doc)) {
      const errorResponses = Object.entries<any>(op.responses).filter(([code]) => Number(code) >= 400);
      if (errorResponses.length === 0) problems.push(`${m} ${p}: no error responses`);
      for (const [code, r] of errorResponses) {
        if (r.content?.['application/json']?.schema?.$ref !== '#/components/schemas/Error') problems.push(`${m} ${p} ${code}`);
      }
    }
    expect(problems).toEqual([]);
    const conversationOps = operations(doc).filter(([, p]) => p.startsWith('/conversations'));
    const allRefs = refsIn(conversationOps.map(([, , op]) => op));
    expect(allRefs).toContain('#/components/schemas/Conversation');
    expect(allRefs).toContain('#/components/schemas/Message');
    expect(refsIn(doc.paths['/conversations/{id}'].get)).toContain('#/components/schemas/Conversation');
    expect(refsIn(doc.paths['/conversations/{id}/messages'].get)).toContain('#/components/schemas/Message');
    // Every reference points at a component that exists.
    for (const ref of refsIn(doc)) {
      const [, , kind, name] = ref.split('/');
      expect(doc.components[kind!]?.[name!], ref).toBeTruthy();
    }
  });

  it('keeps every component exact: none is nullable itself, a use that may be null is anyOf [$ref, null]', () => {
    // zod-to-openapi let the first `.nullable()` use of a named schema make the component nullable (every
    // EmailAddress was typed `| null`), or and-ed the $ref with a nullable type (read as never null).
    const nullable = (t: unknown) => Array.isArray(t) && t.includes('null');
    const wholeNullable = Object.entries<any>(doc.components.schemas)
      .filter(([, schema]) => nullable(schema.type) || (schema.anyOf ?? schema.oneOf)?.some((x: any) => x.type === 'null'))
      .map(([name]) => name);
    expect(wholeNullable).toEqual([]);
    const andedWithNull: string[] = [];
    const walk = (node: unknown, at: string) => {
      if (!node || typeof node !== 'object') return;
      const allOf = (node as any).allOf;
      if (Array.isArray(allOf) && allOf.some((x) => x.$ref) && allOf.some((x) => nullable(x.type))) andedWithNull.push(at);
      for (const [k, v] of Object.entries(node)) walk(v, `${at}/${k}`);
    };
    walk(doc, '#');
    expect(andedWithNull).toEqual([]);
    expect(doc.components.schemas.EmailThread.properties.customer).toEqual({
      anyOf: [{ $ref: '#/components/schemas/EmailAddress' }, { type: 'null' }],
    });
  });

  it('generates TypeScript types that compile and match the checked-in shared/src/generated/api-v1.d.ts', async () => {
    const fresh = await generateTypes(doc);
    expect(fresh).toContain('export interface paths');
    expect(fresh).toContain('"/conversations/{id}/messages"');
    const file = path.join(tmp, 'api-v1.d.ts');
    await writeFile(file, fresh);

    // The generated declarations type-check on their own.
    const program = ts.createProgram([file], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      types: [],
    });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(diagnostics).toEqual([]);

    // A changed API without `npm run gen:api` fails here.
    const checkedIn = await readFile(GENERATED_TYPES_PATH, 'utf8');
    expect(
      fresh === checkedIn,
      `shared/src/generated/api-v1.d.ts is stale (first difference at ${firstDifference(fresh, checkedIn)}): run npm run gen:api`,
    ).toBe(true);

    // The comparison is sensitive: one added field in the API changes the generated text.
    const changed = structuredClone(doc);
    changed.components.schemas.Conversation.properties.newField = { type: 'string' };
    expect(await generateTypes(changed)).not.toBe(checkedIn);
  });

  it('drives the API with openapi-fetch typed by the checked-in types', async () => {
    const key = await s.apiKey(['conversations:read', 'conversations:write']);
    const client = createClient<paths>({ baseUrl: `${s.url}/api/v1`, headers: { Authorization: `Bearer ${key}` } });

    const created = await client.POST('/conversations', {
      body: {
        inboxId: s.inboxId,
        subject: 'Typed client',
        contact: { name: 'Tess', email: 'tess@example.com' },
        priority: 'high',
        message: { body: 'Hello from openapi-fetch' },
      },
    });
    expect(created.error).toBeUndefined();
    expect(created.response.status).toBe(201);
    const conversation = created.data!;
    expect(conversation).toMatchObject({ subject: 'Typed client', inboxId: s.inboxId, priority: 'high', lastSeq: 1 });
    expect(conversation.status.category).toBe('open');

    const got = await client.GET('/conversations/{id}', { params: { path: { id: conversation.id } } });
    expect(got.response.status).toBe(200);
    expect(got.data?.id).toBe(conversation.id);
    expect(got.data?.subject).toBe('Typed client');
    expect(got.data?.contactId).toBe(conversation.contactId);

    const messages = await client.GET('/conversations/{id}/messages', { params: { path: { id: conversation.id } } });
    expect(messages.response.status).toBe(200);
    expect(messages.data?.data).toHaveLength(1);
    expect(messages.data?.data[0]).toMatchObject({
      conversationId: conversation.id,
      seq: 1,
      authorKind: 'contact',
      private: false,
      bodyText: 'Hello from openapi-fetch',
    });

    // Errors come back typed as the Error component.
    const missing = await client.GET('/conversations/{id}', { params: { path: { id: '00000000-0000-4000-8000-000000000000' } } });
    expect(missing.response.status).toBe(404);
    expect(missing.data).toBeUndefined();
    expect(missing.error?.error.code).toBe('not_found');

    const invalid = await client.POST('/conversations', {
      // @ts-expect-error subject is a string: the generated types refuse a number at compile time.
      body: { inboxId: s.inboxId, subject: 42 },
    });
    expect(invalid.response.status).toBe(400);
    expect(invalid.error?.error.code).toBe('validation_failed');
  });

  it('serves the API reference page with local swagger-ui assets (works offline)', async () => {
    const page = await fetch(`${s.url}/api/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    const refs = [...html.matchAll(/\b(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.sort()).toEqual([
      '/api/docs/assets/init.js',
      '/api/docs/assets/swagger-ui-bundle.js',
      '/api/docs/assets/swagger-ui.css',
    ]);
    // Nothing from a CDN.
    expect(html).not.toMatch(/https?:\/\/|src="\/\//);

    const expected: Record<string, [RegExp, RegExp]> = {
      '/api/docs/assets/swagger-ui-bundle.js': [/^text\/javascript/, /SwaggerUIBundle/],
      '/api/docs/assets/swagger-ui.css': [/^text\/css/, /\.swagger-ui/],
      '/api/docs/assets/init.js': [/^text\/javascript/, /SwaggerUIBundle\(.*['"]\/api\/v1\/openapi\.json['"]/],
    };
    for (const [asset, [type, body]] of Object.entries(expected)) {
      const res = await fetch(`${s.url}${asset}`);
      expect(res.status, asset).toBe(200);
      // With X-Content-Type-Options: nosniff a browser refuses a script or style sent under another type.
      expect(res.headers.get('content-type'), asset).toMatch(type);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      const text = await res.text();
      expect(text.length, asset).toBeGreaterThan(asset.endsWith('init.js') ? 20 : 10_000);
      expect(text, asset).toMatch(body);
    }
    // Only the whitelisted files are served from the assets route.
    for (const other of ['/api/docs/assets/package.json', '/api/docs/assets/..%2Fpackage.json', '/api/docs/assets/index.html']) {
      const res = await fetch(`${s.url}${other}`);
      expect(res.status, other).toBe(404);
      expect(((await res.json()) as any).error.code).toBe('not_found');
    }
  });

  it('documents every operation: unique operationId, declared tags, description, explicit security', () => {
    const ids = new Set<string>();
    const declared = new Set((doc.tags as { name: string; description: string }[]).map((t) => t.name));
    for (const t of doc.tags) expect(t.description, t.name).toBeTruthy();
    for (const [m, p, op] of operations(doc)) {
      const where = `${m.toUpperCase()} ${p}`;
      expect(op.operationId, where).toMatch(/^[a-z][A-Za-z0-9]+$/);
      expect(ids.has(op.operationId), `${where}: duplicate ${op.operationId}`).toBe(false);
      ids.add(op.operationId);
      expect(op.tags?.length, where).toBeGreaterThan(0);
      for (const t of op.tags) expect(declared.has(t), `${where}: tag ${t} not declared`).toBe(true);
      expect(op.summary, where).toBeTruthy();
      expect(op.description, where).toMatch(/\.\n\n(Public|Needs)/);
      expect(Array.isArray(op.security), `${where}: security`).toBe(true);
      // Public means no credential at all; everything else names the scope it needs.
      if (op.security.length === 0) expect(op.description, where).toContain('Public: no authentication.');
      // The portal's signed-in operations need a customer's portal session, not a scope.
      else if (p.startsWith('/portal/')) expect(op.security, where).toEqual([{ portalSession: [] }]);
      else expect(op['x-required-scope'], where).toBeTruthy();
    }
    expect(doc.paths['/auth/login'].post.security).toEqual([]);
    expect(doc.paths['/help/search'].get.security).toEqual([]);
    // The widget's API is in the document too: public, at the site's root rather than under /api/v1.
    const widgetOps = operations(doc).filter(([, p]) => p.startsWith('/widget-api/v1/'));
    expect(widgetOps.map(([m, p]) => `${m} ${p}`).sort()).toEqual([
      'get /widget-api/v1/config',
      'get /widget-api/v1/push/key',
      'post /widget-api/v1/announcements',
      'post /widget-api/v1/announcements/{id}/dismiss',
      'post /widget-api/v1/context',
      'post /widget-api/v1/csat',
      'post /widget-api/v1/help/suggestions',
      'post /widget-api/v1/profile',
      'post /widget-api/v1/push/subscribe',
      'post /widget-api/v1/tickets',
      'post /widget-api/v1/tickets/{id}',
      'post /widget-api/v1/visitors',
    ]);
    for (const [, , op] of widgetOps) {
      expect(op.security).toEqual([]);
      expect(op.servers).toEqual([{ url: '/' }]);
    }
    expect(refsIn(doc.paths['/widget-api/v1/visitors'].post.requestBody)).toContain('#/components/schemas/WidgetVisitorCreate');
    expect(refsIn(doc.paths['/widget-api/v1/config'].get.responses)).toContain('#/components/schemas/WidgetConfig');
    expect(doc.paths['/conversations'].get.security.length).toBeGreaterThan(0);
  });

  it('documents every webhook event with its payload schema', () => {
    expect(Object.keys(doc.webhooks).sort()).toEqual([...EVENT_TYPES].sort());
    const created = doc.webhooks['message.created'].post.requestBody.content['application/json'].schema;
    expect(created.properties.type.const ?? created.properties.type.enum?.[0]).toBe('message.created');
    expect(JSON.stringify(created.properties.data)).toContain('#/components/schemas/Message');
  });
});
