/**
 * `regula playground`: serves the Regula Playground (playground/dist, a
 * static folder built by `npm run build:playground`) on a local port and
 * prints its URL. It sends the cross-origin isolation headers (COOP/COEP),
 * so the page gets SharedArrayBuffer and the wasm backend trains on
 * several threads; `--no-isolation` serves it as a plain static host would
 * (one thread). The folder ships built in the package; in a checkout where
 * it is missing, the command builds it first (esbuild is a devDependency).
 */
import { Command, Option } from 'commander';
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AddressInfo } from 'node:net';
import { packageRoot } from '../data/embedded.js';
import { UsageError } from './cli-error.js';
import { int } from './parse-args.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.csv': 'text/csv; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** The headers that make a page cross-origin isolated (SharedArrayBuffer, so wasm threads). */
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
} as const;

/** Where the built playground lives in this package. */
export function playgroundDir(): string {
  return join(packageRoot(), 'playground', 'dist');
}

/**
 * The built playground folder; builds it first when it is missing and the
 * package is a checkout (playground/build.mjs and esbuild present).
 *
 * @throws UsageError when it is missing and cannot be built here.
 */
export async function ensurePlayground(log: (line: string) => void = () => {}): Promise<string> {
  const dir = playgroundDir();
  if (existsSync(join(dir, 'index.html'))) return dir;
  const script = join(packageRoot(), 'playground', 'build.mjs');
  if (!existsSync(script) || !existsSync(join(packageRoot(), 'node_modules', 'esbuild'))) {
    throw new UsageError(`the playground is not built (${dir} is missing) and cannot be built here: run \`npm run build:playground\` in a checkout`);
  }
  log(`building the playground into ${dir} …`);
  const mod = (await import(pathToFileURL(script).href)) as { buildPlayground(out?: string): Promise<string> };
  return mod.buildPlayground(dir);
}

/** Options of `servePlayground`. */
export interface ServeOptions {
  readonly dir: string;
  readonly port?: number;
  readonly host?: string;
  /** Send COOP/COEP (default true). */
  readonly isolation?: boolean;
}

/** Serves `dir` (GET/HEAD of files inside it only); resolves once listening. */
export async function servePlayground(o: ServeOptions): Promise<{ server: Server; url: string }> {
  const root = resolve(o.dir);
  const extra: Record<string, string> = o.isolation === false ? {} : { ...ISOLATION_HEADERS };
  const server = createServer((req, res) => {
    const reply = (status: number, body: string | Buffer, type = 'text/plain; charset=utf-8'): void => {
      res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff', ...extra });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply(405, 'method not allowed');
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      return reply(400, 'bad request');
    }
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
    if (file !== root && !file.startsWith(root + sep)) return reply(403, 'forbidden');
    if (!existsSync(file) || !statSync(file).isFile()) return reply(404, 'not found');
    reply(200, readFileSync(file), TYPES[extname(file)] ?? 'application/octet-stream');
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(o.port ?? 0, o.host ?? '127.0.0.1', () => ok());
  });
  const { port } = server.address() as AddressInfo;
  const host = o.host ?? '127.0.0.1';
  return { server, url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/` };
}

/** `regula playground`. */
export function playgroundCommand(): Command {
  return new Command('playground')
    .description('serve the Regula Playground (regularization you can watch, in the browser) on a local port')
    .option('--port <n>', 'port to listen on (0 = any free port)', int({ min: 0, max: 65535 }), 8080)
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .addOption(new Option('--no-isolation', 'do not send the COOP/COEP headers (the page then trains on one thread, as on a plain static host)'))
    .action(async (o: { port: number; host: string; isolation: boolean }) => {
      const dir = await ensurePlayground((line) => process.stderr.write(`${line}\n`));
      let served: { server: Server; url: string };
      try {
        served = await servePlayground({ dir, port: o.port, host: o.host, isolation: o.isolation });
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EADDRINUSE') throw new UsageError(`--port ${o.port} is in use; pick another port or --port 0`);
        throw e;
      }
      process.stdout.write(`Regula Playground: ${served.url}  (${o.isolation ? 'cross-origin isolated: wasm threads' : 'not isolated: one thread'}; Ctrl-C stops)\n`);
      await new Promise<void>((done) => {
        const stop = (): void => void served.server.close(() => done());
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
