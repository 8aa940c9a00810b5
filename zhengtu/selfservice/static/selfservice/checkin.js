/* The check-in page: live camera + geolocation; a server-issued code; the capture sent through the outbox. */
(function () {
  "use strict";
  var section = document.getElementById("checkin");
  if (!section) return;
  var data = section.dataset;
  var camera = ZhengtuCamera.attach(section.querySelector("[data-camera]"));
  var button = document.getElementById("checkin-button");
  var locationStatus = document.getElementById("location-status");
  var problem = document.getElementById("checkin-problem");
  var position = null, cameraReady = false, busy = false;

  function update() { button.disabled = busy || !cameraReady || !position; }
  function fail(message) { problem.textContent = message; problem.hidden = false; }

  camera.start().then(function () { cameraReady = true; update(); }, function () { cameraReady = false; update(); });

  if (!navigator.geolocation) {
    locationStatus.textContent = data.msgGeoMissing;
    locationStatus.className = "error";
  } else {
    locationStatus.textContent = data.msgGeoWaiting;
    navigator.geolocation.watchPosition(function (found) {
      position = found;
      locationStatus.className = "muted";
      locationStatus.textContent = data.msgGeoOk.replace("{m}", String(Math.round(found.coords.accuracy)));
      update();
    }, function (error) {
      position = null;
      locationStatus.className = "error";
      locationStatus.textContent = error.code === 1 ? data.msgGeoDenied : error.code === 3 ? data.msgGeoTimeout : data.msgGeoUnavailable;
      update();
    }, { enableHighAccuracy: true, maximumAge: 10000, timeout: 30000 });
  }

  function challenge() {
    return fetch(data.challengeUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": ZhengtuOutbox.csrfToken(), "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) throw { refused: body.error };
        return body;
      });
    });
  }

  button.addEventListener("click", function () {
    problem.hidden = true;
    busy = true;
    update();
    var nonce;
    challenge().then(function (body) {
      nonce = body.nonce;
      return camera.capture();
    }).then(function (blob) {
      locationStatus.textContent = data.msgSending;
      var coords = position.coords;
      return ZhengtuOutbox.send(data.submitUrl, [
        ["nonce", nonce],
        ["latitude", String(coords.latitude)],
        ["longitude", String(coords.longitude)],
        ["accuracy", String(coords.accuracy)],
        ["position_time", String(Math.round(position.timestamp))],
        ["photo", blob, "checkin.jpg"]
      ], { user: ZhengtuApp.user, label: "checkin" });
    }).then(function (result) {
      var body = result.body || {};
      if (result.status === "sent") {
        window.location.assign(body.redirect);
        return;
      }
      if (result.status === "queued") {
        fail(document.body.dataset.msgQueued);
      } else {
        fail(body.error || document.body.dataset.msgRefused);
      }
      busy = false;
      update();
    }, function (error) {
      fail(error && error.refused ? error.refused : data.msgNeedsNetwork);
      busy = false;
      update();
    });
  });
})();
