/**
 * The wasm memory manager: views stay valid when the shared memory grows,
 * freed heap blocks coalesce and are reused, persistent buffers return to the
 * heap once their views are garbage-collected (so creating models in a loop
 * does not grow memory), and the step arena keeps a flat footprint.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { WasmMemory } from './memory.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

test('views stay valid and owned across growth; blocks are 64-byte aligned', () => {
  const mem = new WasmMemory(2);
  const a = mem.allocPersistentF32(1000);
  a.fill(3.5);
  const big = mem.allocPersistentF32(10_000_000); // forces several growths
  assert.ok(mem.byteLength >= 40_000_000);
  assert.ok(mem.owns(a) && mem.owns(big));
  assert.ok(a.every((v) => v === 3.5), 'old views still read the same memory');
  assert.equal(a.byteOffset % 64, 0);
  assert.equal(big.byteOffset % 64, 0);
  assert.ok(!mem.owns(new Float32Array(4)));
});

test('freed blocks coalesce and are reused first-fit', () => {
  const mem = new WasmMemory(64);
  const blocks = [mem.allocBlock(1000), mem.allocBlock(1000), mem.allocBlock(1000)];
  const top = mem.allocBlock(64);
  mem.freeBlock(blocks[0]!);
  mem.freeBlock(blocks[2]!);
  mem.freeBlock(blocks[1]!);
  const merged = mem.allocBlock(3000);
  assert.equal(merged.ptr, blocks[0]!.ptr, 'the three neighbours merged into one free block');
  assert.ok(top.ptr > merged.ptr);
});

test('persistent buffers go back to the heap when their views are collected', async () => {
  const mem = new WasmMemory(16);
  const round = (): void => {
    for (let i = 0; i < 5; i++) mem.allocPersistentF32(1_000_000).fill(1);
  };
  round();
  const settle = async (): Promise<void> => {
    for (let i = 0; i < 3; i++) {
      gc();
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  await settle();
  const after1 = mem.byteLength;
  for (let r = 0; r < 10; r++) {
    round();
    await settle();
  }
  assert.equal(mem.byteLength, after1, `memory grew from ${after1} to ${mem.byteLength} bytes although every view was dropped`);
  const fresh = mem.allocPersistentF32(1_000_000);
  assert.ok(fresh.every((v) => v === 0), 'a reused block is zeroed');
});

test('arena: marks rewind, large requests get their own chunk, capacity stays flat', () => {
  const mem = new WasmMemory(16);
  const m0 = mem.mark();
  const small = mem.arenaF32(100);
  const huge = mem.arenaF32(10_000_000);
  assert.ok(huge.byteOffset !== small.byteOffset);
  mem.release(m0);
  const capacity = mem.arenaCapacity;
  for (let i = 0; i < 50; i++) {
    const m = mem.mark();
    mem.arenaF32(100);
    mem.arenaF32(10_000_000);
    mem.arenaI32(5000);
    mem.release(m);
  }
  assert.equal(mem.arenaCapacity, capacity);
  assert.equal(mem.arenaF32(100).byteOffset, small.byteOffset, 'rewinding reuses the same addresses');
});
