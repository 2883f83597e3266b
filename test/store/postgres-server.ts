/**
 * Test helper: a real PostgreSQL server of its own for one test file. `initdb` makes a cluster in a temp
 * directory (as user postgres when the tests run as root: the server refuses to run as root), `pg_ctl` starts it
 * on 127.0.0.1 and a free port with trust auth, `createDatabase()` gives each store an empty database, and
 * `stop()` stops the server and removes the directory. No PostgreSQL binaries: an error that says how to install
 * them (CI installs Debian's postgresql package), never a skip.
 */
import { execFile } from 'node:child_process';
import { chown, mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

export interface PostgresServer {
  /** A URL of database `db` on this server (user postgres, no password). */
  url(db: string): string;
  /** Creates an empty database and returns its URL. */
  createDatabase(name?: string): Promise<string>;
  stop(): Promise<void>;
}

/** The newest `/usr/lib/postgresql/<version>/bin` holding initdb and pg_ctl. */
async function binDir(): Promise<string> {
  const root = '/usr/lib/postgresql';
  const versions = await readdir(root).catch(() => [] as string[]);
  for (const v of versions.sort((a, b) => Number(b) - Number(a))) {
    const bin = join(root, v, 'bin');
    const files = await readdir(bin).catch(() => [] as string[]);
    if (files.includes('initdb') && files.includes('pg_ctl')) return bin;
  }
  throw new Error(
    'PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin (initdb, pg_ctl): ' +
      'install them with `apt-get install -y postgresql` (.ci/run does this) to run the PostgreSQL store tests',
  );
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startPostgres(): Promise<PostgresServer> {
  const bin = await binDir();
  const dir = await mkdtemp(join(tmpdir(), 'beatscope-pg-'));
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  // The server refuses to run as root: as root, every command runs as user postgres, who owns the directory.
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const as = (command: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, command), ...args]) : run(join(bin, command), args);
  const port = await freePort();
  try {
    await as('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
    // fsync off: a test cluster is thrown away, and the machine's disk is shared.
    const settings = `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${dir} -c fsync=off`;
    await as('pg_ctl', ['-D', data, '-o', settings, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const url = (db: string) => `postgres://postgres@127.0.0.1:${port}/${db}`;
  let made = 0;
  return {
    url,
    async createDatabase(name = `store_${++made}`) {
      const admin = new pg.Client({ connectionString: url('postgres') });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE "${name}"`);
      } finally {
        await admin.end();
      }
      return url(name);
    },
    async stop() {
      try {
        await as('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
