/**
 * Zip archives for `.keras` files, read as untrusted input and written with
 * fflate (loaded on first use only, so importing Regula never loads it).
 *
 * Reading parses the central directory itself (zip64 included) and checks,
 * before inflating anything: member names (no absolute paths, `..`, `\`,
 * drive letters, duplicates), declared sizes against the caller's caps,
 * and that every member's data lies inside the archive (a truncated file is
 * refused). Only the members asked for are inflated, through a streaming
 * inflater that stops as soon as the output passes the declared size (a zip
 * bomb that lies about its size), and each result's length and CRC-32 must
 * match the directory. Nothing is written anywhere. Browser-safe.
 */
import { crc32 } from '../crc32.js';
import { ModelFormatError } from '../keras-format.js';

export { crc32 };

/** One member as the central directory declares it. */
export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  size: number;
  /** Offset of the member's local header. */
  offset: number;
}

/** Most members an archive may list (a .keras file has 3 plus assets). */
export const MAX_ZIP_ENTRIES = 10_000;

type Fflate = typeof import('fflate');
let fflate: Promise<Fflate> | undefined;
/** fflate, imported on first use. */
function loadFflate(): Promise<Fflate> {
  fflate ??= import('fflate');
  return fflate;
}

const u16 = (b: Uint8Array, o: number): number => b[o]! | (b[o + 1]! << 8);
const u32 = (b: Uint8Array, o: number): number => (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
const u64 = (b: Uint8Array, o: number): number => u32(b, o) + u32(b, o + 4) * 2 ** 32;


/** Refuses a member name that could name a place outside the archive's root. */
function checkMemberName(name: string, file: string): void {
  const bad =
    name === '' ||
    name.startsWith('/') ||
    name.includes('\\') ||
    name.includes('\0') ||
    /^[A-Za-z]:/.test(name) ||
    name.split('/').some((s) => s === '..');
  if (bad) throw new ModelFormatError(file, `member name ${JSON.stringify(name.slice(0, 200))} is an absolute path or leaves the archive (path traversal); refusing the archive`);
}

/** Finds the end-of-central-directory record (it ends the file, before a comment of ≤ 65535 bytes). */
function findEocd(b: Uint8Array, file: string): number {
  const stop = Math.max(0, b.length - 22 - 65535);
  for (let o = b.length - 22; o >= stop; o--) {
    if (u32(b, o) === 0x06054b50) return o;
  }
  throw new ModelFormatError(file, `not a zip archive, or truncated: no end-of-central-directory record in its ${b.length} bytes (a .keras file is a zip archive)`);
}

/** The central directory's entries, every field checked against the archive's length. */
export function listZip(b: Uint8Array, file: string): ZipEntry[] {
  if (b.length < 22) throw new ModelFormatError(file, `is ${b.length} bytes, too short for a zip archive (truncated?)`);
  const eocd = findEocd(b, file);
  let count = u16(b, eocd + 10);
  let cdSize = u32(b, eocd + 12);
  let cdOffset = u32(b, eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const loc = eocd - 20;
    if (loc < 0 || u32(b, loc) !== 0x07064b50) throw new ModelFormatError(file, 'zip64 archive without a zip64 locator (truncated or corrupt)');
    const z = u64(b, loc + 8);
    if (z + 56 > b.length || u32(b, z) !== 0x06064b50) throw new ModelFormatError(file, 'zip64 end-of-central-directory record is missing (truncated or corrupt)');
    count = u64(b, z + 32);
    cdSize = u64(b, z + 40);
    cdOffset = u64(b, z + 48);
  }
  if (count > MAX_ZIP_ENTRIES) throw new ModelFormatError(file, `lists ${count} members, more than ${MAX_ZIP_ENTRIES}`);
  if (cdOffset + cdSize > b.length) throw new ModelFormatError(file, `central directory (${cdSize} bytes at ${cdOffset}) lies past the end of the ${b.length}-byte file (truncated)`);
  const out: ZipEntry[] = [];
  const seen = new Set<string>();
  let o = cdOffset;
  for (let i = 0; i < count; i++) {
    if (o + 46 > cdOffset + cdSize || u32(b, o) !== 0x02014b50) throw new ModelFormatError(file, `central directory entry ${i} is missing or corrupt (truncated?)`);
    const flags = u16(b, o + 8);
    const method = u16(b, o + 10);
    const crc = u32(b, o + 16);
    let compressedSize = u32(b, o + 20);
    let size = u32(b, o + 24);
    const nameLen = u16(b, o + 28);
    const extraLen = u16(b, o + 30);
    const commentLen = u16(b, o + 32);
    let offset = u32(b, o + 42);
    const end = o + 46 + nameLen + extraLen + commentLen;
    if (end > cdOffset + cdSize) throw new ModelFormatError(file, `central directory entry ${i} runs past the directory (corrupt)`);
    const name = new TextDecoder('utf-8', { fatal: false }).decode(b.subarray(o + 46, o + 46 + nameLen));
    // zip64 extra field: the 0xffffffff fields, in order.
    for (let e = o + 46 + nameLen; e + 4 <= o + 46 + nameLen + extraLen; ) {
      const id = u16(b, e);
      const len = u16(b, e + 2);
      if (id === 0x0001) {
        let p = e + 4;
        if (size === 0xffffffff) (size = u64(b, p)), (p += 8);
        if (compressedSize === 0xffffffff) (compressedSize = u64(b, p)), (p += 8);
        if (offset === 0xffffffff) offset = u64(b, p);
      }
      e += 4 + len;
    }
    checkMemberName(name, file);
    if (seen.has(name)) throw new ModelFormatError(file, `member ${JSON.stringify(name)} appears twice`);
    seen.add(name);
    if (offset + 30 > b.length) throw new ModelFormatError(file, `member ${JSON.stringify(name)} starts past the end of the file (truncated)`);
    out.push({ name, method, flags, crc, compressedSize, size, offset });
    o = end;
  }
  return out;
}

/** Where a member's data starts, checked against the archive's length. */
function dataRange(b: Uint8Array, e: ZipEntry, file: string): [number, number] {
  if (u32(b, e.offset) !== 0x04034b50) throw new ModelFormatError(file, `member ${JSON.stringify(e.name)}: local header missing (corrupt)`);
  const start = e.offset + 30 + u16(b, e.offset + 26) + u16(b, e.offset + 28);
  const end = start + e.compressedSize;
  if (end > b.length) throw new ModelFormatError(file, `member ${JSON.stringify(e.name)} (${e.compressedSize} bytes) runs past the end of the ${b.length}-byte file (truncated)`);
  return [start, end];
}

/**
 * Inflates one member, refusing it before any work when its declared size
 * passes `maxBytes`, and stopping the moment its output passes the declared
 * size; the result must have the declared length and CRC-32.
 */
export async function readMember(b: Uint8Array, e: ZipEntry, file: string, maxBytes: number): Promise<Uint8Array> {
  const what = `member ${JSON.stringify(e.name)}`;
  if (e.flags & 1) throw new ModelFormatError(file, `${what} is encrypted`);
  if (e.size > maxBytes) throw new ModelFormatError(file, `${what} declares ${e.size} bytes uncompressed, more than the ${maxBytes}-byte limit (zip bomb or oversized model)`);
  const [start, end] = dataRange(b, e, file);
  let out: Uint8Array;
  if (e.method === 0) {
    if (e.compressedSize !== e.size) throw new ModelFormatError(file, `${what} is stored with ${e.compressedSize} bytes but declares ${e.size}`);
    out = b.slice(start, end);
  } else if (e.method === 8) {
    const { Inflate } = await loadFflate();
    out = new Uint8Array(e.size);
    let got = 0;
    let over = false;
    const inf = new Inflate((chunk) => {
      if (over) return;
      if (got + chunk.length > e.size) {
        over = true;
        return;
      }
      out.set(chunk, got);
      got += chunk.length;
    });
    const STEP = 1 << 16;
    try {
      for (let p = start; p < end && !over; p += STEP) inf.push(b.subarray(p, Math.min(p + STEP, end)), p + STEP >= end);
      if (start === end) inf.push(new Uint8Array(0), true);
    } catch (err) {
      throw new ModelFormatError(file, `${what}: corrupt deflate data (${(err as Error).message})`);
    }
    if (over) throw new ModelFormatError(file, `${what} inflates past its declared ${e.size} bytes (zip bomb?); stopped`);
    if (got !== e.size) throw new ModelFormatError(file, `${what} inflates to ${got} bytes but declares ${e.size} (truncated or corrupt)`);
  } else {
    throw new ModelFormatError(file, `${what} uses compression method ${e.method}; only stored (0) and deflate (8) are supported`);
  }
  if (crc32(out) !== e.crc) throw new ModelFormatError(file, `${what} fails its CRC-32 check (corrupt)`);
  return out;
}

/** One member to write: its bytes and whether to deflate it. */
export interface ZipOut {
  name: string;
  data: Uint8Array;
  deflate: boolean;
}

/** A zip archive of `members`, in order. */
export async function writeZip(members: readonly ZipOut[]): Promise<Uint8Array> {
  const { zipSync } = await loadFflate();
  const files: Record<string, [Uint8Array, { level: 0 | 6 }]> = {};
  for (const m of members) files[m.name] = [m.data, { level: m.deflate ? 6 : 0 }];
  return zipSync(files);
}
