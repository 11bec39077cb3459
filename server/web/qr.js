// A small QR code encoder (ISO/IEC 18004), written for the wallet page's rotating codes:
// the server cannot sign a phone's code, so the page draws it. It encodes text as UTF-8 in
// byte mode, error correction level M, versions 1 to 15 (up to 412 bytes), and chooses
// the mask with the lowest penalty, as the standard asks.
//
//   import {encodeQR, drawQR} from '/assets/qr.js';
//   const qr = encodeQR('TBR1....');   // {size, dark(x, y)}
//   drawQR(canvas, qr);                 // black on white with a quiet zone of 4 modules

// Level M's blocks per version: [error correction codewords per block, blocks of the
// first group, data codewords in each of them, blocks of the second group (one data
// codeword more)].
const BLOCKS_M = [null,
  [10, 1, 16, 0], [16, 1, 28, 0], [26, 1, 44, 0], [18, 2, 32, 0], [24, 2, 43, 0],
  [16, 4, 27, 0], [18, 4, 31, 0], [22, 2, 38, 2], [22, 3, 36, 2], [26, 4, 43, 1],
  [30, 1, 50, 4], [22, 6, 36, 2], [22, 8, 37, 1], [24, 4, 40, 5], [24, 5, 41, 5]];

// The rows and columns of the alignment patterns' centres per version.
const ALIGN = [null, [], [6, 18], [6, 22], [6, 26], [6, 30], [6, 34], [6, 22, 38], [6, 24, 42],
  [6, 26, 46], [6, 28, 50], [6, 30, 54], [6, 32, 58], [6, 34, 62], [6, 26, 46, 66], [6, 26, 48, 70]];

export const MAX_VERSION = 15;

// ---- Reed-Solomon over GF(256), polynomial x^8 + x^4 + x^3 + x^2 + 1 -----------------

function gfMul(a, b) {
  let r = 0;
  for (; b > 0; b >>= 1) {
    if (b & 1) r ^= a;
    a <<= 1;
    if (a & 0x100) a ^= 0x11d;
  }
  return r;
}

// generator returns the coefficients (highest degree first, the leading 1 left out) of
// the product of (x - 2^i) for i below degree.
function generator(degree) {
  let g = [1];
  let root = 1;
  for (let i = 0; i < degree; i++) {
    const next = new Array(g.length + 1).fill(0);
    for (let j = 0; j < g.length; j++) {
      next[j] ^= g[j];
      next[j + 1] ^= gfMul(g[j], root);
    }
    g = next;
    root = gfMul(root, 2);
  }
  return g.slice(1);
}

// ecCodewords returns the remainder of data times x^degree divided by the generator.
function ecCodewords(data, degree) {
  const gen = generator(degree);
  const rem = new Array(degree).fill(0);
  for (const byte of data) {
    const factor = byte ^ rem.shift();
    rem.push(0);
    for (let i = 0; i < degree; i++) rem[i] ^= gfMul(gen[i], factor);
  }
  return rem;
}

// ---- the codewords --------------------------------------------------------------------

function dataCapacity(version) {
  const [, b1, k, b2] = BLOCKS_M[version];
  return b1 * k + b2 * (k + 1);
}

// codewords returns the version's interleaved data and error correction codewords for bytes.
function codewords(bytes, version) {
  const bits = [];
  const put = (value, n) => { for (let i = n - 1; i >= 0; i--) bits.push((value >>> i) & 1); };
  put(0b0100, 4); // byte mode
  put(bytes.length, version < 10 ? 8 : 16);
  for (const b of bytes) put(b, 8);
  const capacity = dataCapacity(version) * 8;
  put(0, Math.min(4, capacity - bits.length)); // terminator
  while (bits.length % 8) bits.push(0);
  const data = [];
  for (let i = 0; i < bits.length; i += 8) data.push(bits.slice(i, i + 8).reduce((a, b) => (a << 1) | b, 0));
  for (let pad = 0xec; data.length < capacity / 8; pad ^= 0xec ^ 0x11) data.push(pad);
  const [ec, b1, k, b2] = BLOCKS_M[version];
  const blocks = [];
  for (let i = 0, at = 0; i < b1 + b2; i++) {
    const n = i < b1 ? k : k + 1;
    const part = data.slice(at, at + n);
    at += n;
    blocks.push({data: part, ec: ecCodewords(part, ec)});
  }
  const out = [];
  for (let i = 0; i <= k; i++) for (const b of blocks) if (i < b.data.length) out.push(b.data[i]);
  for (let i = 0; i < ec; i++) for (const b of blocks) out.push(b.ec[i]);
  return out;
}

// ---- the symbol -----------------------------------------------------------------------

class Symbol {
  constructor(version) {
    this.version = version;
    this.size = version * 4 + 17;
    this.mods = new Uint8Array(this.size * this.size); // 1: dark
    this.fixed = new Uint8Array(this.size * this.size); // 1: a function module
  }
  set(x, y, dark, fixed = true) {
    this.mods[y * this.size + x] = dark ? 1 : 0;
    if (fixed) this.fixed[y * this.size + x] = 1;
  }
  dark(x, y) { return this.mods[y * this.size + x] === 1; }

  drawFunctions() {
    const n = this.size;
    for (let i = 0; i < n; i++) { // timing patterns
      this.set(6, i, i % 2 === 0);
      this.set(i, 6, i % 2 === 0);
    }
    for (const [x, y] of [[3, 3], [n - 4, 3], [3, n - 4]]) this.finder(x, y);
    const align = ALIGN[this.version];
    for (const ax of align) {
      for (const ay of align) {
        const nearFinder = (ax === 6 && ay === 6) || (ax === 6 && ay === align[align.length - 1]) || (ay === 6 && ax === align[align.length - 1]);
        if (!nearFinder) this.alignment(ax, ay);
      }
    }
    this.format(0); // reserves the format areas; drawn again with the mask chosen
    this.versionInfo();
  }
  finder(cx, cy) {
    for (let dy = -4; dy <= 4; dy++) {
      for (let dx = -4; dx <= 4; dx++) {
        const x = cx + dx, y = cy + dy;
        if (x < 0 || y < 0 || x >= this.size || y >= this.size) continue;
        const d = Math.max(Math.abs(dx), Math.abs(dy));
        this.set(x, y, d !== 2 && d !== 4);
      }
    }
  }
  alignment(cx, cy) {
    for (let dy = -2; dy <= 2; dy++) {
      for (let dx = -2; dx <= 2; dx++) this.set(cx + dx, cy + dy, Math.max(Math.abs(dx), Math.abs(dy)) !== 1);
    }
  }
  format(mask) {
    const data = (0b00 << 3) | mask; // level M is 00
    let rem = data;
    for (let i = 0; i < 10; i++) rem = (rem << 1) ^ ((rem >>> 9) * 0x537);
    const bits = ((data << 10) | rem) ^ 0x5412;
    const bit = (i) => ((bits >>> i) & 1) === 1;
    const n = this.size;
    for (let i = 0; i <= 5; i++) this.set(8, i, bit(i));
    this.set(8, 7, bit(6));
    this.set(8, 8, bit(7));
    this.set(7, 8, bit(8));
    for (let i = 9; i < 15; i++) this.set(14 - i, 8, bit(i));
    for (let i = 0; i < 8; i++) this.set(n - 1 - i, 8, bit(i));
    for (let i = 8; i < 15; i++) this.set(8, n - 15 + i, bit(i));
    this.set(8, n - 8, true); // the dark module
  }
  versionInfo() {
    if (this.version < 7) return;
    let rem = this.version;
    for (let i = 0; i < 12; i++) rem = (rem << 1) ^ ((rem >>> 11) * 0x1f25);
    const bits = (this.version << 12) | rem;
    for (let i = 0; i < 18; i++) {
      const dark = ((bits >>> i) & 1) === 1;
      const a = this.size - 11 + (i % 3), b = Math.floor(i / 3);
      this.set(a, b, dark);
      this.set(b, a, dark);
    }
  }
  // place lays the codewords' bits in the two-column zigzag from the bottom right.
  place(words) {
    const n = this.size;
    let i = 0;
    for (let right = n - 1; right >= 1; right -= 2) {
      if (right === 6) right = 5; // skip the vertical timing pattern
      const upward = ((right + 1) & 2) === 0;
      for (let v = 0; v < n; v++) {
        const y = upward ? n - 1 - v : v;
        for (let j = 0; j < 2; j++) {
          const x = right - j;
          if (this.fixed[y * n + x]) continue;
          const dark = i < words.length * 8 && ((words[i >>> 3] >>> (7 - (i & 7))) & 1) === 1;
          this.set(x, y, dark, false);
          i++;
        }
      }
    }
  }
  applyMask(mask) {
    const n = this.size;
    for (let y = 0; y < n; y++) {
      for (let x = 0; x < n; x++) {
        if (!this.fixed[y * n + x] && MASKS[mask](x, y)) this.mods[y * n + x] ^= 1;
      }
    }
  }
  penalty() {
    const n = this.size;
    let score = 0;
    for (let line = 0; line < n; line++) {
      score += linePenalty((i) => this.dark(i, line), n) + linePenalty((i) => this.dark(line, i), n);
    }
    for (let y = 0; y < n - 1; y++) {
      for (let x = 0; x < n - 1; x++) {
        const c = this.dark(x, y);
        if (c === this.dark(x + 1, y) && c === this.dark(x, y + 1) && c === this.dark(x + 1, y + 1)) score += 3;
      }
    }
    let darkCount = 0;
    for (const m of this.mods) darkCount += m;
    score += 10 * Math.floor(Math.abs(darkCount * 100 / (n * n) - 50) / 5);
    return score;
  }
}

const MASKS = [
  (x, y) => (x + y) % 2 === 0,
  (x, y) => y % 2 === 0,
  (x, y) => x % 3 === 0,
  (x, y) => (x + y) % 3 === 0,
  (x, y) => (Math.floor(y / 2) + Math.floor(x / 3)) % 2 === 0,
  (x, y) => ((x * y) % 2) + ((x * y) % 3) === 0,
  (x, y) => (((x * y) % 2) + ((x * y) % 3)) % 2 === 0,
  (x, y) => (((x + y) % 2) + ((x * y) % 3)) % 2 === 0,
];

// linePenalty scores one row or column: runs of five or more of one colour, and the
// finder-like pattern dark-light-dark-dark-dark-light-dark with four light on a side.
function linePenalty(dark, n) {
  let score = 0;
  let run = 1;
  for (let i = 1; i <= n; i++) {
    if (i < n && dark(i) === dark(i - 1)) {
      run++;
      continue;
    }
    if (run >= 5) score += run - 2;
    run = 1;
  }
  const finder = [1, 0, 1, 1, 1, 0, 1];
  for (let i = 0; i + 7 <= n; i++) {
    if (!finder.every((f, k) => dark(i + k) === (f === 1))) continue;
    const lightBefore = [1, 2, 3, 4].every((k) => i - k < 0 || !dark(i - k));
    const lightAfter = [0, 1, 2, 3].every((k) => i + 7 + k >= n || !dark(i + 7 + k));
    if (lightBefore || lightAfter) score += 40;
  }
  return score;
}

// encodeQR returns the QR code of text: {version, size, dark(x, y)}. It throws when the
// text needs more than version 15 holds.
export function encodeQR(text) {
  const bytes = new TextEncoder().encode(text);
  let version = 1;
  while (version <= MAX_VERSION && (bytes.length + (version < 10 ? 2 : 3)) > dataCapacity(version)) version++;
  if (version > MAX_VERSION) throw new Error('text too long for a QR code of version ' + MAX_VERSION);
  const words = codewords(bytes, version);
  let best = null;
  for (let mask = 0; mask < 8; mask++) {
    const s = new Symbol(version);
    s.drawFunctions();
    s.place(words);
    s.applyMask(mask);
    s.format(mask);
    const p = s.penalty();
    if (!best || p < best.p) best = {s, p};
  }
  const s = best.s;
  return {version, size: s.size, dark: (x, y) => s.dark(x, y)};
}

// drawQR draws the code on the canvas, black on white, with a quiet zone of four modules,
// filling the canvas's width (whole pixels a module).
export function drawQR(canvas, qr) {
  const modules = qr.size + 8;
  const px = Math.max(1, Math.floor(canvas.width / modules));
  canvas.width = canvas.height = modules * px;
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#000';
  for (let y = 0; y < qr.size; y++) {
    for (let x = 0; x < qr.size; x++) if (qr.dark(x, y)) ctx.fillRect((x + 4) * px, (y + 4) * px, px, px);
  }
}
