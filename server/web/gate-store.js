// What the scanner page keeps in IndexedDB, so that a reload or a battery swap loses
// nothing: the gate copy of each contract (its cursor, and each seat as the server sent
// it) and the queue of admissions made offline, not yet uploaded.

const DB = 'ticketbooth-gate';
const VERSION = 1;

let opened = null;

function open() {
  if (opened) return opened;
  opened = new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, VERSION);
    req.onupgradeneeded = () => {
      const db = req.result;
      db.createObjectStore('copies', {keyPath: 'contract'});
      db.createObjectStore('seats', {keyPath: ['contract', 'key']});
      db.createObjectStore('queue', {keyPath: 'nonce'}).createIndex('contract', 'contract');
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  return opened;
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
  const range = IDBKeyRange.bound([contract, ''], [contract, '\uffff']);
  const seats = await run(['seats'], 'readonly', (s) => s.getAll(range));
  return {...meta, seats};
}

// saveCopy keeps a copy's news: meta replaces the kept one; a full copy first drops
// the contract's seats; seats ([{key, ticket}]) replace those of the same key.
export async function saveCopy(meta, full, seats) {
  await run(['copies', 'seats'], 'readwrite', (c, s) => {
    c.put(meta);
    if (full) s.delete(IDBKeyRange.bound([meta.contract, ''], [meta.contract, '\uffff']));
    for (const seat of seats) s.put({contract: meta.contract, ...seat});
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
