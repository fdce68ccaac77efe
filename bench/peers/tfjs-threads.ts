/**
 * Makes TF.js's multi-threaded WASM backend (`tfjs-backend-wasm-threaded-simd`)
 * run in Node, which TF.js 4.22 refuses by default:
 *
 * 1. `WASM_HAS_MULTITHREAD_SUPPORT` is hard-wired to false under Node; the
 *    caller sets it to true.
 * 2. Emscripten's pthread workers are started from a `blob:` URL made with
 *    `URL.createObjectURL`, which `worker_threads` cannot load: we hand back
 *    the path of a temporary CommonJS file holding the same worker source.
 *    Inside that worker the main script is again requested through a `blob:`
 *    URL; a postlude answers it by `require`-ing the package's own copy of the
 *    threaded Emscripten factory (`wasm-out/tfjs-backend-wasm-threaded-simd.js`).
 * 3. The C++ side caps XNNPACK's pool at `emscripten_num_logical_cores() / 2`
 *    (it assumes hyper-threading), which in Node is `os.cpus().length / 2`,
 *    i.e. 1 thread on a 2-core machine whatever `setThreadsCount` says; we
 *    make `os.cpus()` report twice the requested thread count.
 */
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** The parts of the TF.js modules the installer touches. */
export interface TfjsThreadTargets {
  readonly env: () => { set(flag: string, value: boolean): void };
  readonly setThreadsCount: (n: number) => void;
}

/**
 * Prepares threaded WASM with `threads` threads. Call after importing
 * `@tensorflow/tfjs` and `@tensorflow/tfjs-backend-wasm`, before
 * `tf.setBackend('wasm')`.
 */
export function installTfjsWasmThreads(threads: number, tf: TfjsThreadTargets): void {
  if (!Number.isInteger(threads) || threads < 2) {
    throw new Error(`installTfjsWasmThreads: threads must be an integer ≥ 2, received ${threads}`);
  }
  const wasmOut = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'wasm-out');
  const contents = (require(join(wasmOut, 'tfjs-backend-wasm-threaded-simd.worker.js')) as { wasmWorkerContents: string })
    .wasmWorkerContents;
  const factory = join(wasmOut, 'tfjs-backend-wasm-threaded-simd.js');
  const postlude = `;(function () {
  var original = global.importScripts;
  global.importScripts = function (f) {
    if (String(f).startsWith('blob:')) { global.WasmBackendModuleThreadedSimd = require(${JSON.stringify(factory)}); return; }
    return original(f);
  };
  URL.createObjectURL = function () { return 'blob:tfjs-threaded-simd'; };
  URL.revokeObjectURL = function () {};
})();`;
  const dir = mkdtempSync(join(tmpdir(), 'regula-bench-tfjs-'));
  const workerFile = join(dir, 'tfjs-wasm-worker.cjs');
  // TF.js escapes newlines the same way before building its Blob (string literals in the source contain "\n").
  writeFileSync(workerFile, contents.replace(/\n/g, '\\n') + '\n' + postlude);
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

  const createObjectURL = URL.createObjectURL.bind(URL);
  URL.createObjectURL = (obj: Blob) => (obj.type === 'application/javascript' ? workerFile : createObjectURL(obj));

  const os = require('node:os') as { cpus: () => unknown[] };
  const cpus = os.cpus.bind(os);
  os.cpus = () => {
    const c = cpus();
    return Array.from({ length: 2 * threads }, (_, i) => c[i % c.length]);
  };

  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  tf.setThreadsCount(threads);
}
