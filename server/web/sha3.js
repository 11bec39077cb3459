// SHA3-224 (FIPS 202), for the scanner page's offline verdict: the ledger stores each
// ticket's secret as its SHA3-224 digest, and WebCrypto offers no SHA-3. Our own, small:
// Keccak-f[1600] on 64-bit lanes kept as two 32-bit halves (lo, hi). Tested against the
// digests Go's crypto/sha3 computes (server/offline_browser_test.go).

const RATE = 144; // bytes absorbed per permutation: (1600 - 2*224) / 8

// Round constants, rotation offsets and the pi permutation, computed as FIPS 202 defines
// them rather than typed in.
const RC_LO = new Uint32Array(24);
const RC_HI = new Uint32Array(24);
const ROT = new Uint8Array(25); // rho's offset of lane x+5y
const PI = new Uint8Array(25);  // where pi moves lane x+5y

(function tables() {
  let lfsr = 1;
  for (let round = 0; round < 24; round++) {
    for (let j = 0; j < 7; j++) {
      const bit = lfsr & 1;
      lfsr = lfsr & 0x80 ? ((lfsr << 1) ^ 0x71) & 0xff : lfsr << 1;
      if (!bit) continue;
      const pos = (1 << j) - 1;
      if (pos < 32) RC_LO[round] |= 1 << pos;
      else RC_HI[round] |= 1 << (pos - 32);
    }
  }
  let x = 1;
  let y = 0;
  for (let t = 0; t < 24; t++) {
    ROT[x + 5 * y] = (((t + 1) * (t + 2)) / 2) % 64;
    [x, y] = [y, (2 * x + 3 * y) % 5];
  }
  for (x = 0; x < 5; x++) {
    for (y = 0; y < 5; y++) PI[x + 5 * y] = y + 5 * ((2 * x + 3 * y) % 5);
  }
})();

// rotl sets out[i], out[i+1] (lo, hi) to the lane (lo, hi) rotated left by n bits.
function rotl(out, i, lo, hi, n) {
  if (n >= 32) {
    [lo, hi] = [hi, lo];
    n -= 32;
  }
  if (n === 0) {
    out[i] = lo;
    out[i + 1] = hi;
    return;
  }
  out[i] = (lo << n) | (hi >>> (32 - n));
  out[i + 1] = (hi << n) | (lo >>> (32 - n));
}

const C = new Uint32Array(10);
const D = new Uint32Array(10);
const B = new Uint32Array(50);

// keccakF permutes the state s: 25 lanes, lane k at s[2k] (lo) and s[2k+1] (hi).
function keccakF(s) {
  for (let round = 0; round < 24; round++) {
    for (let x = 0; x < 5; x++) {
      C[2 * x] = s[2 * x] ^ s[2 * x + 10] ^ s[2 * x + 20] ^ s[2 * x + 30] ^ s[2 * x + 40];
      C[2 * x + 1] = s[2 * x + 1] ^ s[2 * x + 11] ^ s[2 * x + 21] ^ s[2 * x + 31] ^ s[2 * x + 41];
    }
    for (let x = 0; x < 5; x++) {
      const n = 2 * ((x + 1) % 5);
      rotl(D, 2 * x, C[n], C[n + 1], 1);
      D[2 * x] ^= C[2 * ((x + 4) % 5)];
      D[2 * x + 1] ^= C[2 * ((x + 4) % 5) + 1];
    }
    for (let k = 0; k < 25; k++) {
      const x = k % 5;
      rotl(B, 2 * PI[k], s[2 * k] ^ D[2 * x], s[2 * k + 1] ^ D[2 * x + 1], ROT[k]);
    }
    for (let k = 0; k < 25; k++) {
      const row = k - (k % 5);
      const a = 2 * (row + ((k + 1) % 5));
      const b = 2 * (row + ((k + 2) % 5));
      s[2 * k] = B[2 * k] ^ (~B[a] & B[b]);
      s[2 * k + 1] = B[2 * k + 1] ^ (~B[a + 1] & B[b + 1]);
    }
    s[0] ^= RC_LO[round];
    s[1] ^= RC_HI[round];
  }
}

// sha3_224 returns the 28-byte SHA3-224 digest of bytes (a Uint8Array).
export function sha3_224(bytes) {
  const blocks = Math.floor(bytes.length / RATE) + 1;
  const padded = new Uint8Array(blocks * RATE);
  padded.set(bytes);
  padded[bytes.length] ^= 0x06;
  padded[padded.length - 1] ^= 0x80;
  const s = new Uint32Array(50);
  const view = new DataView(padded.buffer);
  for (let off = 0; off < padded.length; off += RATE) {
    for (let w = 0; w < RATE / 4; w++) s[w] ^= view.getUint32(off + 4 * w, true);
    keccakF(s);
  }
  const out = new Uint8Array(28);
  const outView = new DataView(out.buffer);
  for (let w = 0; w < 7; w++) outView.setUint32(4 * w, s[w], true);
  return out;
}
