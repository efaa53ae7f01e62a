// Service worker: serves the app from a cache named for its build, so the app opens with no
// network after one visit. Generated into the build by the stamp step of scripts/build.mjs, which fills in
// BUILD (a hash of every file of the build) and writes the list of every file of the build beside
// it, as files-BUILD.json.
'use strict';

const BUILD = '__BUILD__';
const CACHE = `untoc-art32-${BUILD}`;

self.addEventListener('install', (event) => {
  // A new version waits until the user chooses to update (the page posts 'skipWaiting'). If the
  // list or any file cannot be fetched, the install fails and the browser tries again later.
  event.waitUntil((async () => {
    const list = await fetch(`./files-${BUILD}.json`, { cache: 'reload' });
    if (!list.ok) throw new Error(`files-${BUILD}.json: ${list.status}`);
    const files = await list.json();
    const cache = await caches.open(CACHE);
    await cache.addAll(files.map((f) => new Request(f, { cache: 'reload' })));
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith('untoc-art32-') && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('message', (event) => {
  if (event.data === 'skipWaiting') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    // Pages are the app's one page; files are found by name (their names carry their content hash).
    const hit = request.mode === 'navigate'
      ? await cache.match('./index.html') ?? await cache.match('./')
      : await cache.match(request, { ignoreSearch: true });
    return hit ?? fetch(request);
  })());
});
