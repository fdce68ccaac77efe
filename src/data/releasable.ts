/**
 * Buffers whose memory can be handed back at once. A dropped ArrayBuffer
 * stays resident until a garbage collection happens to run, which kept
 * streamed columns and the final features alive together; a resizable
 * buffer shrunk to 0 returns its pages immediately (where the runtime has
 * resizable ArrayBuffers; elsewhere it is a plain one, freed by the GC).
 */
type Releasable = ArrayBuffer & { resize?: (n: number) => void; resizable?: boolean };
const ResizableBuffer = ArrayBuffer as unknown as new (bytes: number, options: { maxByteLength: number }) => Releasable;

/** An ArrayBuffer of `bytes` that `release` can empty. */
export function releasable(bytes: number): ArrayBuffer {
  return new ResizableBuffer(bytes, { maxByteLength: bytes });
}

/** Hands a typed array's releasable buffer back (no-op for other buffers). */
export function release(a: { buffer: ArrayBufferLike } | undefined): void {
  const b = a?.buffer as Releasable | undefined;
  if (b?.resizable) b.resize!(0);
}
