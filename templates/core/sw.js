{% load i18n %}// The service worker of 联户通 (core/pwa.py serves it at /sw.js): the app shell from its cache, the phone pages from
// the network when there is signal and from the copy kept at the last visit when there is none.
"use strict";
const VERSION = "{{ version }}";
const SHELL = {{ shell|safe }};
const STATIC_URL = "{{ static_url }}";
const OFFLINE_TITLE = "{{ _('No signal')|escapejs }}";
const OFFLINE_TEXT = "{{ _('This page was not opened on this phone before, so it cannot be shown without signal. Visits and demands you save are kept on the phone and sent when the signal returns.')|escapejs }}";
const OFFLINE_BACK = "{{ _('Back to the visit form')|escapejs }}";
{% verbatim %}
const SHELL_CACHE = "lht-shell-" + VERSION;
const PAGES_CACHE = "lht-pages";  // emptied at log-out and when another person logs in (static/js/offline.js)
// The phone pages kept for use without signal: home, the household list and a household's page, the visit,
// demand and hazard report forms. Nothing else (no list of a whole township, no ledger) is stored on the phone.
const PAGES = [/^\/$/, /^\/households\/$/, /^\/households\/\d+\/$/, /^\/households\/visits\/new\/$/,
               /^\/households\/demands\/new\/$/, /^\/hazards\/new\/$/];
const HASHED = /\.[0-9a-f]{12}\.[a-z0-9]+$/;  // ManifestStaticFilesStorage's names: never change, kept for good
const NETWORK_WAIT_MS = 4000;  // weak signal: after this, a kept copy is shown rather than a spinner

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL_CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys().then((keys) => Promise.all(
    keys.filter((key) => key.startsWith("lht-shell-") && key !== SHELL_CACHE).map((key) => caches.delete(key))
  )).then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) { return; }
  if (url.pathname.startsWith(STATIC_URL)) {
    event.respondWith(staticFile(event, request, url));
  } else if (request.mode === "navigate") {
    event.respondWith(page(request, url));
  }
});

async function staticFile(event, request, url) {
  const kept = await caches.match(request, {ignoreSearch: true});
  if (kept && HASHED.test(url.pathname)) { return kept; }
  const fresh = fetch(request).then(async (response) => {
    if (response.ok) { (await caches.open(SHELL_CACHE)).put(request, response.clone()); }
    return response;
  });
  if (kept) {  // an unhashed name (development): shown from the cache, refreshed behind
    event.waitUntil(fresh.catch(() => null));
    return kept;
  }
  return fresh;
}

async function page(request, url) {
  const keep = PAGES.some((pattern) => pattern.test(url.pathname));
  const network = fetch(request).then(async (response) => {
    // A redirect (to the login page) or an error is never kept as the page.
    if (keep && response.ok && !response.redirected && response.type === "basic") {
      (await caches.open(PAGES_CACHE)).put(request, response.clone());
    }
    return response;
  });
  if (!keep) {
    return network.catch(() => offlinePage());
  }
  const kept = () => caches.open(PAGES_CACHE).then((cache) =>
    cache.match(request).then((hit) => hit || cache.match(request, {ignoreSearch: true})));
  const late = new Promise((resolve) => setTimeout(resolve, NETWORK_WAIT_MS, "late"));
  try {
    const first = await Promise.race([network, late]);
    if (first !== "late") { return first; }
    return (await kept()) || (await network);
  } catch (error) {
    return (await kept()) || offlinePage();
  }
}

function offlinePage() {
  const html = '<!doctype html><html lang="zh-hans"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1"><title>' + OFFLINE_TITLE + '</title>' +
    '<link rel="stylesheet" href="' + SHELL[0] + '"></head><body class="p-3"><h1 class="h5">' + OFFLINE_TITLE +
    '</h1><p>' + OFFLINE_TEXT + '</p><a class="btn btn-primary" href="/households/visits/new/">' + OFFLINE_BACK +
    '</a></body></html>';
  return new Response(html, {status: 503, headers: {"Content-Type": "text/html; charset=utf-8"}});
}
{% endverbatim %}
