#!/usr/bin/env node
// Compiles assembly/index.ts (AssemblyScript) into build/regula.wasm and checks
// the module is one every thread can instantiate on the same shared memory:
// no data segment, no start function, and `env.memory` as its only import.
// Runs during `npm ci` (prepare → build → build:wasm); no binary is committed.
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'build', 'regula.wasm');

/** Pages of 64 KiB. The JS side creates the memory with the same maximum (4 GiB). */
export const MAXIMUM_MEMORY_PAGES = 65536;

const args = [
  join(root, 'assembly', 'index.ts'),
  '--outFile', out,
  '--runtime', 'stub',
  '--importMemory',
  '--sharedMemory',
  '--initialMemory', '1',
  '--maximumMemory', String(MAXIMUM_MEMORY_PAGES),
  '--enable', 'simd',
  '--enable', 'threads',
  '-O3',
  '--noAssert',
  '--use', 'abort=',
];

mkdirSync(dirname(out), { recursive: true });
const { error, stderr } = await asc.main(args);
if (error) {
  console.error(stderr.toString());
  console.error(`build-wasm: AssemblyScript compilation failed: ${error.message}`);
  process.exit(1);
}

// ---- validate the module ----------------------------------------------------
const bytes = readFileSync(out);
const problems = [];
let pos = 8;
function leb() {
  let result = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[pos++];
    result += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if ((b & 0x80) === 0) return result;
  }
}
const SECTION_NAMES = { 8: 'start', 11: 'data', 12: 'data count' };
while (pos < bytes.length) {
  const id = bytes[pos++];
  const size = leb();
  const end = pos + size;
  if (id in SECTION_NAMES) problems.push(`has a ${SECTION_NAMES[id]} section (static data or a start function crept in)`);
  if (id === 6) {
    // globals: each one is per instance; allowed, but report how many for the log
  }
  pos = end;
}
const mod = new WebAssembly.Module(bytes);
const imports = WebAssembly.Module.imports(mod);
if (imports.length !== 1 || imports[0].module !== 'env' || imports[0].name !== 'memory' || imports[0].kind !== 'memory') {
  problems.push(`imports must be exactly env.memory, got ${JSON.stringify(imports)}`);
}
if (problems.length > 0) {
  console.error(`build-wasm: ${out} is not thread-safe:\n  - ${problems.join('\n  - ')}`);
  process.exit(1);
}
const exportCount = WebAssembly.Module.exports(mod).length;
console.log(`build-wasm: wrote ${out} (${bytes.length} bytes, ${exportCount} exports, no data segment, no start function)`);
