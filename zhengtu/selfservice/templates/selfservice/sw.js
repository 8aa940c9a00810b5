/* Zhengtu app service worker (scope /app/). Pages: network first, the last good copy when offline.
 * Static files: cache first. API reads (/api/v1/): network first, the last answer when offline.
 * Posts are never cached or replayed here: the page's outbox (queue.js) owns them, with idempotency keys. */
"use strict";
var VERSION = "{{ version|escapejs }}";
var PAGES = "zhengtu-pages-" + VERSION;
var STATIC = "zhengtu-static-" + VERSION;
var DATA = "zhengtu-data-" + VERSION;
var OFFLINE = "{{ precache.0|escapejs }}";
var PRECACHE = [{% for url in precache %}"{{ url|escapejs }}"{% if not forloop.last %}, {% endif %}{% endfor %}];

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(STATIC).then(function (cache) { return cache.addAll(PRECACHE); }).then(function () {
    return self.skipWaiting();
  }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (key) {
      return key.indexOf("zhengtu-") === 0 && [PAGES, STATIC, DATA].indexOf(key) === -1;
    }).map(function (key) { return caches.delete(key); }));
  }).then(function () { return self.clients.claim(); }));
});

function networkFirst(request, cacheName, fallbackUrl) {
  return fetch(request).then(function (response) {
    // Only keep real pages: not a redirect to the login page, not an error.
    if (response.ok && !response.redirected && response.type === "basic") {
      var copy = response.clone();
      caches.open(cacheName).then(function (cache) { cache.put(request, copy); });
    }
    return response;
  }).catch(function () {
    return caches.match(request).then(function (cached) {
      if (cached) return cached;
      return fallbackUrl ? caches.match(fallbackUrl) : Response.error();
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname.indexOf("/app/") === 0) {
    event.respondWith(networkFirst(request, PAGES, OFFLINE));
  } else if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(caches.match(request).then(function (cached) {
      return cached || fetch(request).then(function (response) {
        if (response.ok) {
          var copy = response.clone();
          caches.open(STATIC).then(function (cache) { cache.put(request, copy); });
        }
        return response;
      });
    }));
  } else if (url.pathname.indexOf("/api/v1/app/") === 0) {
    event.respondWith(networkFirst(request, DATA, null));
  }
});

// Background Sync (Chromium only): ask an open page to send the outbox; it holds the login and the CSRF token.
self.addEventListener("sync", function (event) {
  if (event.tag !== "zhengtu-outbox") return;
  event.waitUntil(self.clients.matchAll({ type: "window" }).then(function (clients) {
    clients.forEach(function (client) { client.postMessage({ type: "flush" }); });
  }));
});

self.addEventListener("push", function (event) {
  var data = {};
  try { data = event.data ? event.data.json() : {}; } catch (error) { data = { body: event.data && event.data.text() }; }
  event.waitUntil(self.registration.showNotification(data.title || "正途", {
    body: data.body || "",
    icon: "{{ precache.5|escapejs }}",
    data: { url: data.url || "/app/" }
  }));
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var target = (event.notification.data && event.notification.data.url) || "/app/";
  event.waitUntil(self.clients.openWindow(target));
});
