/**
 * A throw-away PostgreSQL server for tests, from Debian's `postgresql`
 * package (`initdb`, `pg_ctl`; `.ci/run` installs it when apt can).
 *
 * - The cluster lives in a fresh temporary directory, listens on 127.0.0.1
 *   at a free port (and on a unix socket in that directory), and runs with
 *   `fsync=off` (test data need not survive a power cut; committed data
 *   survive `crash()`, a kill of the server).
 * - `initdb` and `postgres` refuse to run as root. As root the helper runs
 *   them as the `nobody` user with `runuser -u nobody --` (util-linux; found
 *   on Debian and in this project's containers) after handing the directory
 *   to that user; as any other user it runs them directly.
 * - Authentication: TCP connections need the password (scram-sha-256), so
 *   tests can check a wrong one; the superuser is `regula`.
 *
 * When no server can be started (no binaries, no `runuser`, initdb fails)
 * `startPostgres` returns `{ skip: reason }`; the test calls `t.skip(reason)`.
 * CI installs the package and sets REGULA_REQUIRE_POSTGRES=1, so there the
 * tests run (or fail).
 *
 * @example
 * const pg = await startPostgres();
 * if ('skip' in pg) return t.skip(pg.skip);
 * try { … pg.url('db') … } finally { await pg.stop(); }
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface PostgresServer {
  /** The temporary directory (cluster in `data/`, log in `log`, socket here). */
  readonly dir: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** `postgres://regula:<password>@127.0.0.1:<port>/<database>` (database `postgres` by default). */
  url(database?: string, password?: string): string;
  /** Runs SQL as the superuser (psql over the socket); returns stdout. Throws on an error. */
  sql(query: string, database?: string): string;
  /** Creates a database and returns its URL. */
  createDatabase(name: string): string;
  /** Stops the server as a crash would (`pg_ctl stop -m immediate`), keeping its data. */
  crash(): void;
  /** Starts the server again (same data, same port). */
  restart(): void;
  /** Stops the server (immediate) and removes the directory. */
  stop(): Promise<void>;
}

/** Where initdb/pg_ctl/psql live: next to the initdb on PATH, else Debian's /usr/lib/postgresql/<version>/bin. */
function binDir(): string | null {
  const which = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' });
  // The real directory: /usr/local/bin may hold links to initdb and pg_ctl only, not psql.
  if (which.status === 0 && which.stdout.trim()) return dirname(realpathSync(which.stdout.trim()));
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(root, versions[0]!, 'bin') : null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * Starts a server, or says why it cannot. With `REGULA_REQUIRE_POSTGRES=1`
 * (set by .ci/run once the package is installed) a server that cannot start
 * throws instead, so CI never skips these tests.
 */
export async function startPostgres(): Promise<PostgresServer | { skip: string }> {
  const r = await tryStart();
  if ('skip' in r && process.env['REGULA_REQUIRE_POSTGRES'] === '1') throw new Error(`REGULA_REQUIRE_POSTGRES=1 but ${r.skip}`);
  return r;
}

async function tryStart(): Promise<PostgresServer | { skip: string }> {
  const bin = binDir();
  if (bin === null) return { skip: "PostgreSQL is not installed (Debian's postgresql package: apt-get install postgresql; .ci/run does it)" };
  const runuser = ['/usr/sbin/runuser', '/sbin/runuser', '/usr/bin/runuser'].find((p) => existsSync(p));
  if (isRoot() && runuser === undefined) return { skip: 'running as root and runuser (util-linux) is missing: initdb refuses to run as root' };
  const asUser = isRoot() ? [runuser!, '-u', 'nobody', '--'] : [];
  const dir = mkdtempSync(join(tmpdir(), 'regula-pg-'));
  const password = `pw${Math.random().toString(36).slice(2, 10)}`;
  const pwfile = join(dir, 'pwfile');
  writeFileSync(pwfile, `${password}\n`);
  if (isRoot()) {
    chmodSync(dir, 0o700);
    chownSync(dir, 65534, 65534);
    chownSync(pwfile, 65534, 65534);
  }
  const run = (cmd: string, args: string[]): { ok: boolean; out: string } => {
    const argv = [...asUser, join(bin, cmd), ...args];
    // cwd: the server's own directory — as `nobody`, the binaries cannot enter a checkout under a
    // 0700 directory (mktemp -d), and psql's warning about it would land in query results.
    const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', timeout: 60_000, cwd: dir });
    return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}`.trim() };
  };
  const fail = (what: string, out: string): { skip: string } => {
    rmSync(dir, { recursive: true, force: true });
    return { skip: `cannot start PostgreSQL: ${what}: ${out.split('\n').slice(-3).join(' ')}` };
  };
  const data = join(dir, 'data');
  const init = run('initdb', ['-D', data, '-U', 'regula', '--auth-local=trust', '--auth-host=scram-sha-256', `--pwfile=${pwfile}`, '--no-sync', '-E', 'UTF8', '--locale=C']);
  if (!init.ok) return fail('initdb', init.out);
  const port = await freePort();
  // fsync off: the data need not survive the machine; commits stay synchronous, so they survive a crash of the server.
  const opts = `-k ${dir} -c listen_addresses=127.0.0.1 -p ${port} -c fsync=off -c full_page_writes=off -c max_connections=50`;
  const startServer = (): { ok: boolean; out: string } => run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '30', '-o', opts, 'start']);
  const start = startServer();
  if (!start.ok) {
    let log = '';
    try {
      log = readFileSync(join(dir, 'log'), 'utf8');
    } catch {
      /* no log */
    }
    return fail('pg_ctl start', `${start.out} ${log}`);
  }
  const server: PostgresServer = {
    dir,
    port,
    user: 'regula',
    password,
    url: (database = 'postgres', pw = password) => `postgres://regula:${encodeURIComponent(pw)}@127.0.0.1:${port}/${database}`,
    sql(query, database = 'postgres') {
      const r = run('psql', ['-h', dir, '-p', String(port), '-U', 'regula', '-d', database, '-v', 'ON_ERROR_STOP=1', '-At', '-c', query]);
      if (!r.ok) throw new Error(`psql: ${r.out}`);
      return r.out;
    },
    createDatabase(name) {
      server.sql(`CREATE DATABASE "${name}"`);
      return server.url(name);
    },
    crash() {
      const r = run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      if (!r.ok) throw new Error(`pg_ctl stop: ${r.out}`);
    },
    restart() {
      const r = startServer();
      if (!r.ok) throw new Error(`pg_ctl start: ${r.out}`);
    },
    async stop() {
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return server;
}
