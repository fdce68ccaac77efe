/** CRC-32 (IEEE 802.3, the polynomial zip uses), shared by the model directory's shard check and the .keras zip writer. */
let crcTable: Uint32Array | undefined;

/** CRC-32 of `data` as an unsigned 32-bit number (check value: "123456789" → 0xcbf43926). */
export function crc32(data: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  const t = crcTable;
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = t[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
