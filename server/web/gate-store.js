// What the scanner page keeps in IndexedDB, so that a reload or a battery swap loses
// nothing: the gate copy of each contract (its cursor, and each seat as the server sent
// it) and the queue of admissions made offline, not yet uploaded.

const DB = 'ticketbooth-gate';
const VERSION = 2;
const BUCKETS = 64; // a copy's seats are kept in this many records: one record a seat is far too slow

let opened = null;

function open() {
  if (opened) return opened;
  opened = new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, VERSION);
    req.onupgradeneeded = () => {
      const db = req.result;
      for (const name of ['copies', 'seats', 'queue']) if (db.objectStoreNames.contains(name)) db.deleteObjectStore(name);
      db.createObjectStore('copies', {keyPath: 'contract'});
      db.createObjectStore('seats', {keyPath: ['contract', 'bucket']});
      db.createObjectStore('queue', {keyPath: 'nonce'}).createIndex('contract', 'contract');
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  return opened;
}

// bucket is the record a seat is kept in (FNV-1a of its key).
function bucket(key) {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return (h >>> 0) % BUCKETS;
}

// run runs fn on the object stores named in one transaction and resolves when it commits
// with what fn returned (a request's result once it is done).
async function run(stores, mode, fn) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(stores, mode);
    const out = fn(...stores.map((s) => tx.objectStore(s)));
    tx.oncomplete = () => resolve(out && 'result' in out ? out.result : out);
    tx.onerror = tx.onabort = () => reject(tx.error);
  });
}

// loadCopy returns the kept copy of a contract: {contract, sale, cursor, venue, gatePolicy,
// seats: [{key, ticket}]}, or null.
export async function loadCopy(contract) {
  const meta = await run(['copies'], 'readonly', (c) => c.get(contract));
  if (!meta) return null;
  const records = await run(['seats'], 'readonly', (s) => s.getAll(IDBKeyRange.bound([contract, 0], [contract, BUCKETS])));
  const seats = [];
  for (const r of records) for (const [key, ticket] of Object.entries(r.seats)) seats.push({key, ticket});
  return {...meta, seats};
}

// saveCopy keeps a copy's news: meta replaces the kept one; a full copy replaces the
// contract's seats, an increment's seats ([{key, ticket}]) those of the same key.
export async function saveCopy(meta, full, seats) {
  const news = new Map();
  for (const {key, ticket} of seats) {
    const b = bucket(key);
    if (!news.has(b)) news.set(b, {});
    news.get(b)[key] = ticket;
  }
  await run(['copies', 'seats'], 'readwrite', (c, s) => {
    c.put(meta);
    if (full) s.delete(IDBKeyRange.bound([meta.contract, 0], [meta.contract, BUCKETS]));
    for (const [b, fresh] of news) {
      if (full) {
        s.put({contract: meta.contract, bucket: b, seats: fresh});
        continue;
      }
      const get = s.get([meta.contract, b]);
      get.onsuccess = () => s.put({contract: meta.contract, bucket: b, seats: {...(get.result ? get.result.seats : {}), ...fresh}});
    }
  });
}

// enqueue keeps an admission made offline until it is uploaded.
export function enqueue(item) {
  return run(['queue'], 'readwrite', (q) => { q.put(item); });
}

// queued returns the admissions of a contract waiting to be uploaded, oldest first.
export async function queued(contract) {
  const items = await run(['queue'], 'readonly', (q) => q.index('contract').getAll(contract));
  return items.sort((a, b) => a.at.localeCompare(b.at));
}

// dequeue forgets uploaded admissions.
export function dequeue(nonces) {
  return run(['queue'], 'readwrite', (q) => { for (const n of nonces) q.delete(n); });
}
