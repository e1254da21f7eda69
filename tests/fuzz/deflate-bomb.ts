/**
 * A raw-deflate stream that unpacks to at least `bytes` spaces, written directly
 * (one fixed-Huffman block: a literal, then back-references of 258 bytes at
 * distance 1, 13 bits each), so a test makes a 256 MiB bomb in milliseconds instead
 * of compressing 256 MiB.
 */
export function deflateBomb(bytes: number): Uint8Array {
  const matches = Math.ceil(Math.max(0, bytes - 1) / 258);
  const out = new Uint8Array(Math.ceil((3 + 8 + matches * 13 + 7) / 8) + 1);
  let bit = 0;
  const put = (b: number) => {
    if (b) out[bit >> 3] |= 1 << (bit & 7);
    bit++;
  };
  /** Huffman codes go most significant bit first. */
  const code = (value: number, length: number) => {
    for (let i = length - 1; i >= 0; i--) put((value >> i) & 1);
  };
  put(1); // last block
  put(1);
  put(0); // fixed Huffman codes (type 01, least significant bit first)
  code(0x30 + 0x20, 8); // literal ' '
  for (let i = 0; i < matches; i++) {
    code(0b11000101, 8); // length 258 (symbol 285)
    code(0, 5); // distance 1
  }
  code(0, 7); // end of block (symbol 256)
  return out.subarray(0, (bit + 7) >> 3);
}
