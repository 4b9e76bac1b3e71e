import { ConfigError } from './config';
import { startServer } from './server';

// `npm start`: the whole product in one process on embedded defaults.
try {
  // The first start creates the database and runs every migration: say so rather than sit silent.
  console.log('Starting AutoCRM: database, migrations, search index, realtime…');
  const running = await startServer();
  const { config, dbKind, logger } = running.deps;
  // Last line of defence for availability: a dependency's stray rejection is logged, not fatal (each
  // known one is handled where it arises; the fault tests run without this net and fail on any).
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection (kept running)'));
  const url = config.PUBLIC_URL ?? `http://localhost:${running.port}`;
  const lines = [
    '',
    `  AutoCRM is running at ${url}`,
    `  database: ${dbKind === 'pglite' ? `embedded PGlite in ${config.DATA_DIR}` : 'Postgres (DATABASE_URL)'}`,
    `  API reference: ${url}/api/docs   OpenAPI: ${url}/api/v1/openapi.json`,
  ];
  if (!config.PUBLIC_URL)
    lines.push('  PUBLIC_URL is unset: links the server writes are kept site-relative; set it to the address people use');
  if (running.demo) {
    lines.push(
      '',
      '  Demo workspace (change these passwords before real use):',
      `    admin: ${running.demo.adminEmail} / ${running.demo.adminPassword}`,
      `    agent: ${running.demo.agentEmail} / ${running.demo.agentPassword}`,
      '    supervisor: supervisor@demo.autocrm.dev / autocrm-demo-supervisor (every inbox, the supervisor board)',
      `  Workspace: ${url}   Chat as a visitor: ${url}/demo   Help center: ${url}/help`,
      `  Sign in: curl -c cookies.txt -H 'content-type: application/json' -d '{"email":"${running.demo.adminEmail}","password":"${running.demo.adminPassword}"}' ${url}/api/v1/auth/login`,
    );
  }
  const smtpIn = running.deps.channels?.get('email')?.ports.smtp;
  if (smtpIn !== undefined || config.SMTP_URL) {
    lines.push(
      '',
      `  Email: ${smtpIn !== undefined ? `mail in on SMTP port ${smtpIn}` : 'no inbound SMTP (set SMTP_INBOUND_PORT)'}; replies out ${config.SMTP_URL ? 'through SMTP_URL' : 'nowhere (set SMTP_URL)'}`,
    );
    if (running.demo && smtpIn !== undefined)
      lines.push(`    write to support@demo.autocrm.dev through 127.0.0.1:${smtpIn} (README: "Email")`);
  }
  console.log(`${lines.join('\n')}\n`);
  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    await running.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  console.error(err);
  process.exit(1);
}
