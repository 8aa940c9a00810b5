/* The app's outbox: every action the phone posts is first written to IndexedDB, then sent.
 *
 * An action leaves the outbox only when the server answered that it stored it (2xx), or refused it for good
 * (4xx other than 409: the person is shown why). Network failures, 5xx, a 409 "still processing" and an expired
 * login leave it queued; it is sent again when the network is back, when a page opens, or on a background
 * sync. Each action carries one idempotency key for all its attempts, so a replay never stores it twice.
 */
(function (root) {
  "use strict";
  var DB_NAME = "zhengtu-app";
  var STORE = "outbox";

  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = root.indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: "key" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function withStore(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result;
        work(tx.objectStore(STORE), function (value) { result = value; });
        tx.oncomplete = function () { db.close(); resolve(result); };
        tx.onerror = function () { db.close(); reject(tx.error); };
        tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function put(entry) { return withStore("readwrite", function (store) { store.put(entry); }); }
  function remove(key) { return withStore("readwrite", function (store) { store.delete(key); }); }
  function all() {
    return withStore("readonly", function (store, done) {
      var request = store.getAll();
      request.onsuccess = function () { done(request.result || []); };
    });
  }

  function newKey() {
    if (root.crypto && root.crypto.randomUUID) return root.crypto.randomUUID();
    var bytes = new Uint8Array(16);
    root.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function csrfToken() {
    if (typeof document === "undefined") return "";
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function formData(fields) {
    var data = new FormData();
    fields.forEach(function (field) {
      if (field[2]) data.append(field[0], field[1], field[2]);
      else data.append(field[0], field[1]);
    });
    return data;
  }

  // One attempt. Resolves {status: "sent" | "queued" | "refused", body, needsLogin}.
  function deliver(entry) {
    return root.fetch(entry.url, {
      method: "POST",
      body: formData(entry.fields),
      credentials: "same-origin",
      headers: {
        "Idempotency-Key": entry.key,
        "X-CSRFToken": csrfToken(),
        "Accept": "application/json",
        "X-Requested-With": "zhengtu-app"
      }
    }).then(function (response) {
      var loginPage = response.redirected && response.url.indexOf("/app/login/") !== -1;
      if (loginPage || response.status === 401 || response.status === 403) {
        return { status: "queued", needsLogin: true, body: {} };
      }
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (response.ok) return remove(entry.key).then(function () { return { status: "sent", body: body }; });
        if (response.status === 409 || response.status >= 500) return { status: "queued", body: body };
        return remove(entry.key).then(function () { return { status: "refused", body: body }; });
      });
    }, function () {
      return { status: "queued", body: {} };
    });
  }

  var flushing = null;

  var Outbox = {
    /* Queue an action and try it at once. `fields`: [[name, value], [name, blob, filename], ...]. */
    send: function (url, fields, options) {
      options = options || {};
      var entry = {
        key: options.key || newKey(),
        user: options.user || "",
        url: url,
        fields: fields,
        label: options.label || "",
        queuedAt: new Date().toISOString()
      };
      return put(entry).then(function () { return deliver(entry); }).then(function (result) {
        Outbox.changed();
        return result;
      });
    },
    /* Send every queued action of this user (one at a time, oldest first). Resolves the number sent. */
    flush: function (user) {
      if (flushing) return flushing;
      flushing = all().then(function (entries) {
        entries.sort(function (a, b) { return a.queuedAt < b.queuedAt ? -1 : 1; });
        var sent = 0;
        return entries.reduce(function (chain, entry) {
          return chain.then(function () {
            if (user !== undefined && entry.user !== user) return null;
            return deliver(entry).then(function (result) { if (result.status === "sent") sent += 1; });
          });
        }, Promise.resolve()).then(function () { return sent; });
      }).then(function (sent) {
        flushing = null;
        Outbox.changed();
        return sent;
      }, function (error) {
        flushing = null;
        throw error;
      });
      return flushing;
    },
    pending: function (user) {
      return all().then(function (entries) {
        return entries.filter(function (entry) { return user === undefined || entry.user === user; });
      });
    },
    clear: function () { return withStore("readwrite", function (store) { store.clear(); }); },
    changed: function () {},
    newKey: newKey,
    csrfToken: csrfToken
  };

  root.ZhengtuOutbox = Outbox;
})(typeof self !== "undefined" ? self : this);
