// Visits, demands and hazard reports logged without signal (issue 28). A form marked data-offline is kept on the phone (IndexedDB)
// with its own id before it is sent; the queue is sent when the signal returns, on opening any page and on the
// browser's "online" event. The server takes each id once (core/offline.py). The queue is kept per person:
// nothing one person saved is ever sent as another. Also the large-print switch (static/js/prefs.js sets it early).
(function () {
  "use strict";
  var strings = document.getElementById("lht-offline");
  if (!strings) { return; }
  var S = strings.dataset;
  var user = document.body.dataset.user || "";
  var DB_NAME = "lht-outbox", STORE = "items", PAGES_CACHE = "lht-pages", PHOTO_SIDE = 1600;

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(S.sw).catch(function () { /* no worker: the pages still work online */ });
  }

  // --- Pages kept on the phone belong to the person who opened them ------------------------------------------
  function forgetPages() {
    return window.caches ? caches.delete(PAGES_CACHE) : Promise.resolve();
  }
  // Only the phone roles (those who visit) keep pages for use without signal; a township PC keeps none.
  if (!document.body.dataset.keepPages) { forgetPages(); }
  try {
    if (localStorage.getItem("lht-user") !== user) {
      forgetPages();
      localStorage.setItem("lht-user", user);
    }
  } catch (e) { /* private mode */ }

  // --- The queue: one IndexedDB store, each record under its client id, with the id of the person who saved it --
  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, {keyPath: "id"}).createIndex("user", "user");
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }
  function tx(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(STORE, mode), result;
        t.oncomplete = function () { db.close(); resolve(result); };
        t.onerror = function () { db.close(); reject(t.error); };
        result = work(t.objectStore(STORE));
        if (result && "onsuccess" in result) {
          var req = result;
          req.onsuccess = function () { result = req.result; };
        }
      });
    });
  }
  function mine() {
    if (!user) { return Promise.resolve([]); }
    return tx("readonly", function (store) { return store.index("user").getAll(user); }).then(function (items) {
      return (items || []).sort(function (a, b) { return a.created - b.created; });
    });
  }
  function put(item) { return tx("readwrite", function (store) { return store.put(item); }); }
  function remove(id) { return tx("readwrite", function (store) { return store.delete(id); }); }
  function get(id) { return tx("readonly", function (store) { return store.get(id); }); }

  function newId() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) { return decodeURIComponent(match[1]); }
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  // --- Photos: made smaller on the phone (longest side 1600 px, JPEG) before they are kept or sent -------------
  function downscale(file) {
    return new Promise(function (resolve) {
      var url = URL.createObjectURL(file), img = new Image();
      img.onload = function () {
        var scale = Math.min(1, PHOTO_SIDE / Math.max(img.naturalWidth, img.naturalHeight));
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(img.naturalWidth * scale);
        canvas.height = Math.round(img.naturalHeight * scale);
        canvas.getContext("2d").drawImage(img, 0, 0, canvas.width, canvas.height);
        URL.revokeObjectURL(url);
        canvas.toBlob(function (blob) { resolve(blob || file); }, "image/jpeg", 0.8);
      };
      img.onerror = function () { URL.revokeObjectURL(url); resolve(file); };  // the server says what is wrong
      img.src = url;
    });
  }

  // --- Sending one record: "sent", "refused" (with the server's message), or "later" (no signal, no login) ----
  function send(item) {
    var body = new FormData();
    item.fields.forEach(function (pair) { body.append(pair[0], pair[1]); });
    (item.photos || []).forEach(function (photo, i) { body.append("photos", photo, "photo-" + (i + 1) + ".jpg"); });
    body.append("client_id", item.id);
    body.append("csrfmiddlewaretoken", csrfToken());
    return fetch(item.url, {method: "POST", body: body, credentials: "same-origin",
                            headers: {"X-Lht-Queue": "1", "X-CSRFToken": csrfToken()}})
      .then(function (response) {
        var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
        if (response.redirected || !json) {  // the login page, a CSRF refusal, a server error: try again later
          return {outcome: "later", login: response.redirected};
        }
        return response.json().then(function (data) {
          return data.ok ? {outcome: "sent", url: data.url} : {outcome: "refused", data: data};
        });
      }, function () { return {outcome: "later"}; });
  }

  var flushing = null;
  function flush() {
    if (!user || flushing) { return flushing || Promise.resolve(); }
    flushing = mine().then(function (items) {
      var sent = 0, chain = Promise.resolve(true);
      items.filter(function (item) { return item.status === "pending"; }).forEach(function (item) {
        chain = chain.then(function (goOn) {
          if (!goOn) { return false; }
          return send(item).then(function (result) {
            if (result.outcome === "sent") { sent += 1; return remove(item.id).then(function () { return true; }); }
            if (result.outcome === "refused") {
              item.status = "rejected";
              item.message = result.data.message;
              return put(item).then(function () { return true; });
            }
            if (result.login) { note(S.login); }
            return false;  // no signal: the rest waits too
          });
        });
      });
      return chain.then(function () { if (sent) { note(S.sent); } });
    }).catch(function () { /* IndexedDB unavailable */ }).then(function () { flushing = null; return render(); });
    return flushing;
  }

  // --- The header's count and the list of what waits --------------------------------------------------------
  var panel = document.getElementById("outbox-panel");
  var toggle = document.querySelector("[data-outbox-toggle]");

  function note(text) {
    var box = document.getElementById("offline-note");
    if (box) { box.textContent = text; box.classList.remove("d-none"); }
  }

  function render() {
    if (!toggle || !panel) { return Promise.resolve(); }
    return mine().then(function (items) {
      toggle.classList.toggle("d-none", items.length === 0);
      toggle.querySelector("[data-outbox-n]").textContent = items.length;
      if (!items.length) { panel.classList.add("d-none"); }
      panel.textContent = "";
      var bodyEl = document.createElement("div");
      bodyEl.className = "card-body py-2";
      var title = document.createElement("h2");
      title.className = "h6";
      title.textContent = S.title;
      bodyEl.appendChild(title);
      items.forEach(function (item) { bodyEl.appendChild(row(item)); });
      var sendNow = button(S.sendNow, "btn-primary", function () { flush(); });
      sendNow.dataset.testid = "outbox-send";
      bodyEl.appendChild(sendNow);
      panel.appendChild(bodyEl);
    }).catch(function () { /* IndexedDB unavailable */ });
  }

  function button(text, kind, onClick) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "btn btn-sm " + kind + " me-2";
    b.textContent = text;
    b.addEventListener("click", onClick);
    return b;
  }

  function row(item) {
    var div = document.createElement("div");
    div.className = "outbox-item";
    div.dataset.testid = "outbox-item";
    var head = document.createElement("div");
    head.textContent = (S[item.kind] || S.visit) + " · " + item.label +
      (item.photos && item.photos.length ? " · " + item.photos.length + " " + S.photos : "");
    var state = document.createElement("div");
    state.className = item.status === "rejected" ? "text-danger small" : "text-muted small";
    state.dataset.testid = "outbox-state";
    state.textContent = item.status === "rejected" ? S.rejected.replace("{reason}", item.message) : S.pending;
    div.appendChild(head);
    div.appendChild(state);
    div.appendChild(button(S.discard, "btn-outline-danger", function () {
      if (window.confirm(S.discardConfirm)) { remove(item.id).then(render); }
    }));
    if (item.status === "rejected") {
      div.appendChild(button(S.fix, "btn-outline-primary", function () {
        window.location.href = item.page + "?fix=" + encodeURIComponent(item.id);
      }));
    }
    return div;
  }

  if (toggle) {
    toggle.addEventListener("click", function () {
      var open = panel.classList.toggle("d-none") === false;
      toggle.setAttribute("aria-expanded", String(open));
    });
  }

  // --- Forms kept on the phone before they are sent ---------------------------------------------------------
  function label(form) {
    var names = Array.prototype.map.call(
      form.querySelectorAll("input[name=households]:checked, select[name=household] option:checked:not([value=''])"),
      function (el) { return (el.labels && el.labels[0] ? el.labels[0].textContent : el.textContent).split("·")[0].trim(); });
    var date = form.querySelector("input[name=visited_on], input[name=found_on]");
    var place = form.querySelector("input[name=place]");  // a hazard's place
    return [date ? date.value : new Date().toLocaleDateString()].concat(names, place && place.value ? [place.value] : [])
      .join(" ");
  }

  function keep(form, fixing) {
    var data = new FormData(form), fields = [], files = [];
    data.forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken" || name === "client_id" || name === "q") { return; }
      if (value instanceof File) { if (value.size) { files.push(value); } } else { fields.push([name, value]); }
    });
    var photos = files.length || !fixing ? Promise.all(files.map(downscale)) : Promise.resolve(fixing.photos || []);
    return photos.then(function (blobs) {
      return {id: fixing ? fixing.id : newId(), user: user, kind: form.dataset.offline,
              url: new URL(form.action, window.location.href).pathname,
              page: window.location.pathname, label: label(form), fields: fields, photos: blobs,
              created: fixing ? fixing.created : Date.now(), status: "pending", message: ""};
    });
  }

  function showRefusal(form, message) {
    var box = form.querySelector("[data-refusal]");
    if (!box) {
      box = document.createElement("div");
      box.className = "alert alert-danger";
      box.setAttribute("data-refusal", "");
      box.dataset.testid = "refusal";
      form.prepend(box);
    }
    box.textContent = message;
    window.scrollTo(0, 0);
  }

  function setupForm(form) {
    var fixing = null;
    var fixId = new URLSearchParams(window.location.search).get("fix");
    if (fixId) {
      get(fixId).then(function (item) {
        if (!item || item.user !== user) { return; }
        fixing = item;
        restore(form, item);
        if (item.message) { showRefusal(form, item.message); }
      });
    }
    form.addEventListener("submit", function (event) {
      if (!window.indexedDB || !user) { return; }  // the plain form, as without JavaScript
      event.preventDefault();
      var submit = form.querySelector("[type=submit]");
      if (submit) { submit.disabled = true; }
      keep(form, fixing).then(function (item) {
        return put(item).then(function () { return item; });
      }).then(function (item) {
        if (!navigator.onLine) { return {outcome: "later"}; }
        return send(item).then(function (result) {
          if (result.outcome === "later") { return result; }
          if (result.outcome === "refused" && fixing) {  // a correction refused again stays in the queue
            item.status = "rejected";
            item.message = result.data.message;
            return put(item).then(function () { return result; });
          }
          return remove(item.id).then(function () { return result; });  // sent, or refused: the form shows why
        });
      }).then(function (result) {
        if (submit) { submit.disabled = false; }
        if (result.outcome === "sent") { window.location.assign(result.url); return; }
        if (result.outcome === "refused" && !fixing) {  // the server's own page, with each field's message
          form.submit();
          return;
        }
        if (result.outcome === "refused") { showRefusal(form, result.data.message); render(); return; }
        fixing = null;
        form.reset();
        form.dispatchEvent(new CustomEvent("lht:reset"));
        note(result.login ? S.login : (navigator.onLine ? S.savedLater : S.savedOffline));
        render();
        window.scrollTo(0, 0);
      });
    });
  }

  function restore(form, item) {
    form.querySelectorAll("input[type=checkbox]").forEach(function (box) { box.checked = false; });
    item.fields.forEach(function (pair) {
      form.querySelectorAll("[name='" + pair[0] + "']").forEach(function (el) {
        if (el.type === "checkbox" || el.type === "radio") {
          if (el.value === pair[1]) { el.checked = true; }
        } else if (el.type !== "file") {
          el.value = pair[1];
        }
      });
    });
  }

  document.querySelectorAll("form[data-offline]").forEach(setupForm);

  // --- Log-out: the queue stays with its owner; say so before it is left behind ----------------------------
  document.querySelectorAll("form[data-logout]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.confirmed) { return; }
      event.preventDefault();
      mine().catch(function () { return []; }).then(function (items) {
        if (items.length && !window.confirm(S.logoutWarning.replace("{n}", items.length))) { return; }
        forgetPages().then(function () {
          form.dataset.confirmed = "1";
          form.submit();
        });
      });
    });
  });

  // --- Large print: one switch, remembered on this phone ----------------------------------------------------
  var large = document.querySelector("[data-large-print]");
  if (large) {
    large.setAttribute("aria-pressed", String(document.documentElement.classList.contains("lht-large")));
    large.addEventListener("click", function () {
      var on = document.documentElement.classList.toggle("lht-large");
      large.setAttribute("aria-pressed", String(on));
      try { localStorage.setItem("lht-large-print", on ? "1" : "0"); } catch (e) { /* private mode */ }
    });
  }

  window.addEventListener("online", flush);
  if (navigator.onLine) { flush(); } else { render(); }
})();
