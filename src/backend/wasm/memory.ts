/**
 * The sole owner of the shared `WebAssembly.Memory` the kernels run on.
 *
 * Layout (bytes):
 *   [0, 64 KiB)   reserved for the module and the thread pool's control slots
 *   [64 KiB, …)   a heap of 64-byte-aligned blocks (first fit, coalescing free list):
 *                 - persistent blocks (parameters, optimizer slots, per-thread
 *                   scratch), returned to the heap when their view is collected;
 *                 - arena chunks: the step arena bump-allocates inside them and
 *                   rewinds to a mark at the end of each scope, keeping its chunks,
 *                   so a long `fit` reuses the same memory every step.
 *
 * The memory is shared (threads) and only grows, so views never detach: a
 * `Float32Array` handed out stays valid until its block is reused.
 */

/** 64 KiB wasm page. */
export const PAGE_BYTES = 65536;
/** The low region kept for the module and control slots. */
export const RESERVED_BYTES = 65536;
/** Must equal the `--maximumMemory` the module was built with (scripts/build-wasm.mjs). */
export const MAXIMUM_PAGES = 65536;
const ALIGN = 64;
const MIN_CHUNK_BYTES = 16 << 20;
/** Bytes always left unused at the end of memory so no access can run off the end. */
const TAIL_SLACK = 256;

interface Block {
  ptr: number;
  size: number;
}

/** A position in the step arena. */
export interface ArenaMark {
  chunk: number;
  offset: number;
}

const roundUp = (n: number, a: number): number => Math.ceil(n / a) * a;

/** Owner of the memory: block heap, step arena and typed views. */
export class WasmMemory {
  readonly memory: WebAssembly.Memory;
  /** Views over the whole memory, refreshed after every growth. */
  f32!: Float32Array;
  i32!: Int32Array;
  /** Every buffer object the memory has had (one per growth; a handful): views made before a growth keep an older one. */
  private readonly buffers: ArrayBufferLike[] = [];
  /**
   * The buffer object of the latest growth: most views share it (a fast first
   * check in `owns`), and new views are made on it (reading `memory.buffer` of
   * a shared memory costs ≈ 50 ns per call).
   */
  private current!: ArrayBufferLike;
  /** Free blocks, sorted by address. */
  private readonly freeList: Block[] = [];
  /** First byte never handed out. */
  private top = RESERVED_BYTES;
  private readonly chunks: Block[] = [];
  private chunk = 0;
  private offset = 0;
  private readonly finalizer = new FinalizationRegistry<Block>((b) => this.freeBlock(b));

  constructor(initialPages = 256) {
    this.memory = new WebAssembly.Memory({ initial: initialPages, maximum: MAXIMUM_PAGES, shared: true });
    this.refreshViews();
  }

  /** True when `x` is a view into this memory (then `x.byteOffset` is its pointer). */
  owns(x: ArrayBufferView): boolean {
    const b = x.buffer;
    return b === this.current || this.buffers.includes(b);
  }

  /** Total bytes of the memory. */
  get byteLength(): number {
    return this.memory.buffer.byteLength;
  }

  // ---- heap -----------------------------------------------------------------

  /** A heap block of at least `bytes` bytes (not zeroed). */
  allocBlock(bytes: number): Block {
    const size = roundUp(Math.max(bytes, 1), ALIGN);
    for (let i = 0; i < this.freeList.length; i++) {
      const f = this.freeList[i]!;
      if (f.size < size) continue;
      const block = { ptr: f.ptr, size };
      if (f.size === size) this.freeList.splice(i, 1);
      else {
        f.ptr += size;
        f.size -= size;
      }
      return block;
    }
    const ptr = this.top;
    this.ensure(ptr + size + TAIL_SLACK);
    this.top = ptr + size;
    return { ptr, size };
  }

  /** Returns a block to the heap (merging with free neighbours). */
  freeBlock(b: Block): void {
    const list = this.freeList;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.ptr < b.ptr) lo = mid + 1;
      else hi = mid;
    }
    const entry = { ptr: b.ptr, size: b.size };
    list.splice(lo, 0, entry);
    const next = list[lo + 1];
    if (next && entry.ptr + entry.size === next.ptr) {
      entry.size += next.size;
      list.splice(lo + 1, 1);
    }
    const prev = list[lo - 1];
    if (prev && prev.ptr + prev.size === entry.ptr) {
      prev.size += entry.size;
      list.splice(lo, 1);
    }
    const last = list[list.length - 1];
    if (last && last.ptr + last.size === this.top) {
      this.top = last.ptr;
      list.pop();
    }
  }

  /**
   * A zeroed float32 view that outlives every scope. Its block returns to the
   * heap when the returned view object is garbage-collected, so keep the view
   * itself (not only a `subarray` of it) alive while the data is in use.
   */
  allocPersistentF32(size: number): Float32Array {
    const block = this.allocBlock(size * 4);
    this.f32.fill(0, block.ptr >> 2, (block.ptr >> 2) + size);
    const view = new Float32Array(this.current, block.ptr, size);
    this.finalizer.register(view, block);
    return view;
  }

  // ---- step arena -----------------------------------------------------------

  /** Current arena position. */
  mark(): ArenaMark {
    return { chunk: this.chunk, offset: this.offset };
  }

  /** Rewinds the arena; everything allocated after `m` may be reused. */
  release(m: ArenaMark): void {
    this.chunk = m.chunk;
    this.offset = m.offset;
  }

  /** Bytes from the arena (not zeroed), 64-byte aligned; returns the pointer. */
  arenaBytes(bytes: number): number {
    const size = roundUp(Math.max(bytes, 1), ALIGN);
    while (this.chunk < this.chunks.length) {
      const c = this.chunks[this.chunk]!;
      if (this.offset + size <= c.size) {
        const ptr = c.ptr + this.offset;
        this.offset += size;
        return ptr;
      }
      this.chunk++;
      this.offset = 0;
    }
    const block = this.allocBlock(Math.max(MIN_CHUNK_BYTES, 2 * size));
    this.chunks.push(block);
    this.chunk = this.chunks.length - 1;
    this.offset = size;
    return block.ptr;
  }

  /** A float32 arena view of `size` elements (not zeroed). */
  arenaF32(size: number): Float32Array {
    const ptr = this.arenaBytes(size * 4); // may grow the memory: take the buffer after
    return new Float32Array(this.current, ptr, size);
  }

  /** An int32 arena view of `size` elements (not zeroed). */
  arenaI32(size: number): Int32Array {
    const ptr = this.arenaBytes(size * 4);
    return new Int32Array(this.current, ptr, size);
  }

  /** Bytes held by arena chunks (for tests and the bench's memory report). */
  get arenaCapacity(): number {
    return this.chunks.reduce((s, c) => s + c.size, 0);
  }

  // ---- growth ----------------------------------------------------------------

  private ensure(end: number): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    const need = Math.ceil((end - have) / PAGE_BYTES);
    const pages = have / PAGE_BYTES;
    // Grow geometrically (×1.5) to keep the number of growths small.
    const want = Math.min(MAXIMUM_PAGES - pages, Math.max(need, Math.ceil(pages / 2)));
    if (want < need) {
      throw new Error(`wasm backend: out of memory: need ${end} bytes, the limit is ${MAXIMUM_PAGES * PAGE_BYTES} (4 GiB)`);
    }
    this.memory.grow(want);
    this.refreshViews();
  }

  private refreshViews(): void {
    const buf = this.memory.buffer;
    this.buffers.push(buf);
    this.current = buf;
    this.f32 = new Float32Array(buf);
    this.i32 = new Int32Array(buf);
  }
}
