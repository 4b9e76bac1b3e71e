/** The run's switches: `npm run bench [-- scenario ...] [--quick]`, and the backend DATABASE_URL picks. */

const argv = process.argv.slice(2);
export const quick = argv.includes('--quick');
export const picked = argv.filter((a) => !a.startsWith('--'));
export const backend = process.env.DATABASE_URL ? 'postgres' : 'pglite';
