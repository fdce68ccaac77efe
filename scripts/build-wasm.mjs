#!/usr/bin/env node
// Compiles assembly/index.ts (AssemblyScript) into two modules and checks each
// is one every thread can instantiate on the same shared memory: no data
// segment, no start function, and `env.memory` as its only import.
//   build/regula.wasm          SIMD (f32x4 mul + add): runs on every engine with wasm SIMD
//   build/regula-relaxed.wasm  + relaxed SIMD (f32x4.relaxed_madd in the GEMM micro-kernel);
//                              loaded instead where the engine validates it (src/backend/wasm/load.ts)
// Runs during `npm ci` (prepare → build → build:wasm); no binary is committed.
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Pages of 64 KiB. The JS side creates the memory with the same maximum (4 GiB). */
export const MAXIMUM_MEMORY_PAGES = 65536;

const MODULES = [
  { out: join(root, 'build', 'regula.wasm'), features: ['simd', 'threads'] },
  { out: join(root, 'build', 'regula-relaxed.wasm'), features: ['simd', 'relaxed-simd', 'threads'] },
];

function leb(bytes, at) {
  let result = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[at.pos++];
    result += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if ((b & 0x80) === 0) return result;
  }
}

/**
 * The module's problems for sharing one memory between threads, read from its
 * bytes (an engine without relaxed SIMD cannot compile the second module, so
 * nothing here asks the engine).
 */
function threadSafetyProblems(bytes) {
  const problems = [];
  const at = { pos: 8 };
  const SECTION_NAMES = { 8: 'start', 11: 'data', 12: 'data count' };
  const imports = [];
  while (at.pos < bytes.length) {
    const id = bytes[at.pos++];
    const size = leb(bytes, at);
    const end = at.pos + size;
    if (id in SECTION_NAMES) problems.push(`has a ${SECTION_NAMES[id]} section (static data or a start function crept in)`);
    if (id === 2) {
      const count = leb(bytes, at);
      for (let i = 0; i < count; i++) {
        const name = () => {
          const n = leb(bytes, at);
          const s = Buffer.from(bytes.subarray(at.pos, at.pos + n)).toString('utf8');
          at.pos += n;
          return s;
        };
        const module = name();
        const field = name();
        const kind = bytes[at.pos++];
        imports.push({ module, name: field, kind });
        if (kind !== 2) break; // only a memory import is expected; stop parsing anything else
        const flags = bytes[at.pos++];
        leb(bytes, at);
        if (flags & 1) leb(bytes, at);
        if ((flags & 2) === 0) problems.push('the imported memory is not shared');
      }
    }
    at.pos = end;
  }
  if (imports.length !== 1 || imports[0].module !== 'env' || imports[0].name !== 'memory' || imports[0].kind !== 2) {
    problems.push(`imports must be exactly env.memory, got ${JSON.stringify(imports)}`);
  }
  return problems;
}

for (const { out, features } of MODULES) {
  const args = [
    join(root, 'assembly', 'index.ts'),
    '--outFile', out,
    '--runtime', 'stub',
    '--importMemory',
    '--sharedMemory',
    '--initialMemory', '1',
    '--maximumMemory', String(MAXIMUM_MEMORY_PAGES),
    ...features.flatMap((f) => ['--enable', f]),
    '-O3',
    '--noAssert',
    '--use', 'abort=',
  ];
  mkdirSync(dirname(out), { recursive: true });
  const { error, stderr } = await asc.main(args);
  if (error) {
    console.error(stderr.toString());
    console.error(`build-wasm: AssemblyScript compilation of ${out} failed: ${error.message}`);
    process.exit(1);
  }
  const bytes = readFileSync(out);
  const problems = threadSafetyProblems(bytes);
  if (problems.length > 0) {
    console.error(`build-wasm: ${out} is not thread-safe:\n  - ${problems.join('\n  - ')}`);
    process.exit(1);
  }
  const here = WebAssembly.validate(bytes) ? `${WebAssembly.Module.exports(new WebAssembly.Module(bytes)).length} exports` : 'not validated by this engine';
  console.log(`build-wasm: wrote ${out} (${bytes.length} bytes, ${features.join(' + ')}; ${here}; no data segment, no start function)`);
}
