// The scanner page's service worker, served at /scan/sw.js for the scope /scan: it keeps
// the page and its assets so that a reload without the network still shows the scanner.
// The server puts VERSION (a digest of the assets) and ASSETS (the page's files) before
// this text, so a new build installs a new cache and drops the old one.
//
// The page and its assets come from the network first: online the door staff always run
// the server's current page. Without an answer within NETWORK_MS the cached copy is used.
// API calls are never touched: a check-in is the page's business, not the cache's.

const CACHE = 'ticketbooth-scan-' + VERSION;
const PAGE = '/scan';
const NETWORK_MS = 2500;

self.addEventListener('install', (ev) => {
  ev.waitUntil(caches.open(CACHE).then((c) => c.addAll([PAGE, ...ASSETS])).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (ev) => {
  ev.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith('ticketbooth-scan-') && k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (ev) => {
  const req = ev.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== self.location.origin) return;
  const page = req.mode === 'navigate' && (url.pathname === PAGE || url.pathname.startsWith(PAGE + '/'));
  if (!page && !ASSETS.includes(url.pathname)) return;
  ev.respondWith(networkFirst(req, page ? PAGE : url.pathname));
});

// networkFirst answers from the network, keeping the answer, or from the cache when the
// network fails or is slower than NETWORK_MS.
async function networkFirst(req, key) {
  const cache = await caches.open(CACHE);
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), NETWORK_MS);
  try {
    const res = await fetch(req.url, {signal: ctl.signal, cache: 'no-cache'}); // a navigation request cannot be copied with a signal
    if (res.ok) await cache.put(key, res.clone());
    return res;
  } catch (e) {
    const kept = await cache.match(key);
    if (kept) return kept;
    throw e;
  } finally {
    clearTimeout(timer);
  }
}
