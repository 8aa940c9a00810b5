/* The app's page script: service worker, network banner, the outbox status, and forms sent through the outbox. */
(function () {
  "use strict";
  var body = document.body;
  var user = body.dataset.user || "";
  var text = function (name, fallback) { return body.dataset[name] || fallback; };
  var Outbox = window.ZhengtuOutbox;

  if ("serviceWorker" in navigator && body.dataset.sw) {
    navigator.serviceWorker.register(body.dataset.sw, { scope: "/app/" }).catch(function () {});
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "flush" && user) flush();
    });
  }
  if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(function () {});

  var netStatus = document.getElementById("net-status");
  var outboxStatus = document.getElementById("outbox-status");

  function showNetwork() {
    if (!netStatus) return;
    netStatus.hidden = navigator.onLine;
    netStatus.textContent = text("msgOffline", "Offline");
  }

  function showOutbox() {
    if (!outboxStatus || !user) return Promise.resolve();
    return Outbox.pending(user).then(function (entries) {
      outboxStatus.hidden = entries.length === 0;
      outboxStatus.textContent = text("msgPending", "%s waiting").replace("{n}", String(entries.length));
    }).catch(function () {});
  }
  Outbox.changed = showOutbox;

  function flush() {
    if (!user) return Promise.resolve(0);
    return Outbox.flush(user).then(function (sent) {
      if (sent > 0 && outboxStatus) {
        showOutbox().then(function () {
          if (outboxStatus.hidden) {
            outboxStatus.hidden = false;
            outboxStatus.textContent = text("msgSent", "Sent").replace("{n}", String(sent));
            outboxStatus.dataset.state = "sent";
          }
        });
      }
      return sent;
    }).catch(function () { return 0; });
  }

  window.addEventListener("online", function () { showNetwork(); flush(); });
  window.addEventListener("offline", showNetwork);
  showNetwork();
  showOutbox();
  if (navigator.onLine) flush();

  // Leaving the account: forget the cached pages (they hold this person's data) before logging out.
  document.querySelectorAll("form.app-logout").forEach(function (form) {
    form.addEventListener("submit", function () {
      if (window.caches) caches.keys().then(function (keys) { keys.forEach(function (k) { caches.delete(k); }); });
    });
  });

  function fieldsOf(form, extra) {
    var fields = [];
    new FormData(form).forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken") return;
      if (value instanceof Blob) {
        if (value.size === 0 && !value.name) return;
        if (value.size === 0) return;
        fields.push([name, value, value.name || "file"]);
      } else {
        fields.push([name, value]);
      }
    });
    return fields.concat(extra || []);
  }

  function showResult(form, result) {
    var box = form.querySelector(".form-result");
    if (!box) {
      box = document.createElement("div");
      box.className = "form-result";
      box.setAttribute("role", "status");
      form.prepend(box);
    }
    var data = result.body || {};
    if (result.status === "sent") {
      if (data.redirect) { window.location.assign(data.redirect); return; }
      box.className = "form-result notice";
      box.textContent = data.message || text("msgSentOne", "Sent");
      form.reset();
    } else if (result.status === "queued") {
      box.className = "form-result notice";
      box.textContent = result.needsLogin ? text("msgLogin", "Log in again") : text("msgQueued", "Queued");
      form.reset();
    } else {
      box.className = "form-result error";
      var messages = [];
      if (data.error) messages.push(data.error);
      if (data.errors) Object.keys(data.errors).forEach(function (k) { messages = messages.concat(data.errors[k]); });
      box.textContent = messages.join(" ") || text("msgRefused", "Refused");
    }
    form.dispatchEvent(new CustomEvent("app:result", { detail: result }));
  }

  /* Forms marked data-app-form go through the outbox: stored on the phone first, sent when possible.
   * Pages may add fields (a captured photo, a voice note) by listening to "app:collect" and pushing to detail. */
  document.querySelectorAll("form[data-app-form]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var extra = [];
      var collect = new CustomEvent("app:collect", { detail: extra, cancelable: true });
      if (!form.dispatchEvent(collect)) return;
      var button = form.querySelector("[type=submit]");
      if (button) button.disabled = true;
      Outbox.send(form.action, fieldsOf(form, extra), { user: user, label: form.dataset.appForm })
        .then(function (result) { showResult(form, result); })
        .catch(function () { showResult(form, { status: "refused", body: {} }); })
        .then(function () { if (button) button.disabled = false; });
    });
  });

  window.ZhengtuApp = { flush: flush, user: user, text: text };
})();
