// The scanner page's offline verdict: a QR text decided against the gate copy (what the
// device downloaded of its sale) as the server would decide it (ledger.VerifyTicket and the
// store's check-in): the secret must match the stored SHA3-224 digest; keys in the QR must
// open the stored ciphertexts (AES-256-CBC, PKCS#7, through WebCrypto); a name is shown
// only when its HMAC-SHA256 under the QR's name key matches the digest stored at purchase.
// Nothing in the copy lets a device forge a ticket: a digest cannot be turned back into a
// secret, and a name needs the QR's name key.

import {sha3_224} from './sha3.js';
import {seatText} from './common.js';

const SECRET_ALPHABET = /^[A-Za-z0-9_-]{15}$/;
const HEX = /^[0-9a-fA-F]*$/;
const MAX_TICKETS = 64;
const STATIC_SECURE = 'this ticket is shown as a live code in the holder\'s wallet: a printed or copied code no longer admits; show the code in the wallet';
const TICKET_MEMBERS = ['seat', 'secret', 'secretKey', 'secretIV', 'nameKey', 'nameIV'];
const SEAT_MEMBERS = ['number', 'letter', 'section'];
const HEX_SIZES = {secretKey: 32, secretIV: 16, nameKey: 32, nameIV: 16};

// seatKey is how the copy finds a seat: the ledger compares seats ignoring case.
export function seatKey(seat) {
  return ((seat.section ? seat.section + '/' : '') + (seat.number || '') + (seat.letter || '')).toLowerCase();
}

// Malformed is a QR text that is not a ticket: the verdict is "malformed".
class Malformed extends Error {}

// canonical returns the member of names that key spells (ASCII case ignored), or throws.
function canonical(key, names, seen, where) {
  const name = names.find((n) => n.toLowerCase() === key.replace(/[A-Z]/g, (c) => c.toLowerCase()));
  if (!name) throw new Malformed(where + ': unknown member ' + JSON.stringify(key.slice(0, 40)));
  if (seen.has(name)) throw new Malformed(where + ': member ' + name + ' is given twice');
  seen.add(name);
  return name;
}

function parseSeat(v, where) {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Malformed(where + ': seat must be a JSON object');
  const seat = {number: 0, letter: '', section: ''};
  const seen = new Set();
  for (const [k, val] of Object.entries(v)) {
    const name = canonical(k, SEAT_MEMBERS, seen, where + ': seat');
    if (name === 'number' ? !Number.isInteger(val) || val < 0 || val > 999999 : typeof val !== 'string') {
      throw new Malformed(where + ': seat.' + name + ' is not valid');
    }
    seat[name] = val;
  }
  if (!seat.number && !seat.letter) throw new Malformed(where + ': a seat needs a number, a letter or both');
  if (!/^[A-Za-z]{0,3}$/.test(seat.letter) || seat.section.length > 40 || /[/\n\r\t]/.test(seat.section)) {
    throw new Malformed(where + ': the seat is not valid');
  }
  return seat;
}

function parseTicket(v, i) {
  const where = 'ticket ' + i;
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Malformed(where + ' must be a JSON object');
  const t = {};
  const seen = new Set();
  for (const [k, val] of Object.entries(v)) {
    const name = canonical(k, TICKET_MEMBERS, seen, where);
    if (name === 'seat') {
      t.seat = parseSeat(val, where);
      continue;
    }
    if (typeof val !== 'string') throw new Malformed(where + ': ' + name + ' must be a string');
    if (name === 'secret' && !SECRET_ALPHABET.test(val)) throw new Malformed(where + ': the secret is not one a ticket holds');
    if (name !== 'secret' && (val.length !== 2 * HEX_SIZES[name] || !HEX.test(val))) {
      throw new Malformed(where + ': ' + name + ' must be ' + 2 * HEX_SIZES[name] + ' hex characters');
    }
    t[name] = name === 'secret' ? val : val.toLowerCase();
  }
  if (!t.seat || !t.secret) throw new Malformed(where + ': ' + (t.seat ? 'secret' : 'seat') + ' is missing');
  if (!t.secretKey !== !t.secretIV || !t.nameKey !== !t.nameIV) throw new Malformed(where + ': a key goes with its IV');
  return t;
}

// parseQR reads the tickets of a QR text as scanner.ParseQR does (a JSON array of tickets
// or one ticket), or throws Malformed with the reason.
export function parseQR(text) {
  let doc;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, '').trim());
  } catch (e) {
    throw new Malformed('QR text is not a ticket');
  }
  const list = Array.isArray(doc) ? doc : [doc];
  if (!list.length) throw new Malformed('QR text holds no tickets');
  if (list.length > MAX_TICKETS) throw new Malformed('QR text holds more than ' + MAX_TICKETS + ' tickets');
  const tickets = list.map((v, i) => parseTicket(v, i + 1));
  const keys = new Set(tickets.map((t) => seatKey(t.seat)));
  if (keys.size !== tickets.length) throw new Malformed('QR text gives a seat twice');
  return tickets;
}

export function fromHex(s) {
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.substr(2 * i, 2), 16);
  return out;
}

// equal compares two byte arrays in time that depends only on their lengths.
function equal(a, b) {
  if (!a || !b || a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

// decrypt opens an AES-256-CBC ciphertext with a hex key and IV; null when it does not open.
async function decrypt(keyHex, ivHex, ciphertext) {
  try {
    const key = await crypto.subtle.importKey('raw', fromHex(keyHex), 'AES-CBC', false, ['decrypt']);
    return new Uint8Array(await crypto.subtle.decrypt({name: 'AES-CBC', iv: fromHex(ivHex)}, key, ciphertext));
  } catch (e) {
    return null;
  }
}

async function nameDigest(keyHex, name) {
  const key = await crypto.subtle.importKey('raw', fromHex(keyHex), {name: 'HMAC', hash: 'SHA-256'}, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, name));
}

// verifyTicket checks one QR ticket against its entry in the copy, as ledger.VerifyTicket:
// {status: ''} and the name (under the identity policy) when genuine, else the reason.
export async function verifyTicket(q, e) {
  const invalid = (reason) => ({status: 'invalid', reason});
  if (!equal(sha3_224(new TextEncoder().encode(q.secret)), e.secretDigest)) return invalid('the secret does not match this seat\'s ticket');
  if (q.secretKey && e.secretCiphertext) {
    const plain = await decrypt(q.secretKey, q.secretIV, e.secretCiphertext);
    if (!equal(plain, new TextEncoder().encode(q.secret))) return invalid('the secret key does not open this seat\'s ticket');
  }
  if (!e.nameCiphertext || !e.nameCiphertext.length) return {status: '', name: ''};
  if (!q.nameKey) return invalid('the ticket is named but the QR has no name key: check the purchaser\'s ID by hand');
  const plain = await decrypt(q.nameKey, q.nameIV, e.nameCiphertext);
  if (!plain) return invalid('the name key does not open the purchaser\'s name');
  if (!equal(await nameDigest(q.nameKey, plain), e.nameDigest)) return invalid('the name key does not match the purchase');
  return {status: '', name: new TextDecoder().decode(plain)};
}

// decideOffline decides a QR text against the copy as a check-in would: one result per
// ticket ({seat, status, reason, name, identityCheckRequired, checkedInAt, gate}), with
// status admitted, already_checked_in, invalid, not_sold, unknown_seat or malformed.
// copy.tickets maps seatKey to an entry {seat, sold, secretDigest, secretCiphertext,
// nameCiphertext, nameDigest, secure, checkedInAt, gate}; admittedHere(key) returns this
// device's own admission not yet in the copy ({at, gate}) or null. Nothing is recorded:
// the caller queues the admissions.
export async function decideOffline(copy, text, admittedHere = () => null) {
  let tickets;
  try {
    tickets = parseQR(text);
  } catch (e) {
    if (e instanceof Malformed) return [{status: 'malformed', reason: e.message}];
    throw e;
  }
  const results = [];
  for (const q of tickets) results.push(await decideOne(copy, q, admittedHere));
  return results;
}

async function decideOne(copy, q, admittedHere) {
  const res = {seat: q.seat, status: '', reason: '', name: '', identityCheckRequired: false};
  const key = seatKey(q.seat);
  const e = copy.tickets.get(key);
  if (!e) return {...res, status: copy.allSeats ? 'unknown_seat' : 'not_sold', reason: copy.allSeats ? 'no seat ' + seatText(q.seat) + ' here' : 'seat ' + seatText(q.seat) + ' is not sold (free or released)'};
  if (!e.sold) return {...res, status: 'not_sold', reason: 'seat ' + seatText(q.seat) + ' is not sold (free or released)'};
  res.identityCheckRequired = Boolean(e.nameCiphertext && e.nameCiphertext.length);
  const v = await verifyTicket(q, e);
  if (v.status) return {...res, status: v.status, reason: v.reason};
  if (e.secure && e.deviceKey && e.deviceKey.length && (!e.deviceDigest || equal(e.deviceDigest, e.secretDigest))) {
    return {...res, status: 'invalid', reason: STATIC_SECURE};
  }
  const here = admittedHere(key);
  const first = here ? {at: here.at, gate: here.gate} : e.checkedInAt ? {at: e.checkedInAt, gate: e.gate} : null;
  if (first) return {...res, status: 'already_checked_in', checkedInAt: first.at, gate: first.gate};
  return {...res, status: 'admitted', name: v.name};
}

// makeCopy builds the copy decideOffline reads from entries whose bytes are hex:
// {seat, sold, secretDigest, secretCiphertext?, nameCiphertext?, nameDigest?, secure?,
// checkedInAt?, gate?}. allSeats says the entries list every seat of the contract, so a
// seat not among them is unknown rather than unsold.
export function makeCopy(entries, allSeats) {
  const bytes = (h) => (h ? fromHex(h) : null);
  const tickets = new Map();
  for (const e of entries) {
    tickets.set(seatKey(e.seat), {seat: e.seat, sold: Boolean(e.sold), secure: Boolean(e.secure),
      secretDigest: bytes(e.secretDigest), secretCiphertext: bytes(e.secretCiphertext),
      nameCiphertext: bytes(e.nameCiphertext), nameDigest: bytes(e.nameDigest),
      checkedInAt: e.checkedInAt || '', gate: e.gate || ''});
  }
  return {tickets, allSeats: Boolean(allSeats)};
}
