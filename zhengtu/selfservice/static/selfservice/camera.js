/* Live capture from the phone's camera (never a gallery upload): open, show, take one JPEG frame.
 *
 * Usage (see templates/selfservice/_camera.html, which carries the Chinese messages as data attributes):
 *   var camera = ZhengtuCamera.attach(document.querySelector("[data-camera]"));
 *   camera.start().then(...);             // asks for the camera; on refusal the element shows why
 *   camera.capture().then(function (blob) { ... });   // image/jpeg Blob of the current frame
 *   ZhengtuCamera.post(url, blob, [["purpose", "exam"]]).then(function (json) { ... });
 */
(function () {
  "use strict";

  function explain(element, error) {
    var data = element.dataset;
    var name = error && error.name;
    if (!window.isSecureContext || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return data.msgInsecure;
    if (name === "NotAllowedError" || name === "SecurityError" || name === "PermissionDeniedError") return data.msgDenied;
    if (name === "NotFoundError" || name === "OverconstrainedError" || name === "DevicesNotFoundError") return data.msgNotFound;
    if (name === "NotReadableError" || name === "TrackStartError" || name === "AbortError") return data.msgBusy;
    if (name === "Timeout") return data.msgTimeout;
    return data.msgOther;
  }

  function attach(element) {
    var video = element.querySelector("video");
    var problem = element.querySelector("[data-camera-problem]");
    var stream = null;

    function fail(error) {
      var message = explain(element, error);
      if (problem) { problem.textContent = message; problem.hidden = false; }
      element.dataset.state = "refused";
      element.dispatchEvent(new CustomEvent("camera:refused", { detail: { message: message, error: error } }));
      throw error || new Error(message);
    }

    return {
      start: function () {
        if (problem) problem.hidden = true;
        if (!window.isSecureContext || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
          return Promise.reject({ name: "Insecure" }).catch(fail);
        }
        // getUserMedia may never settle when the prompt is ignored: give up after 30 s with an explanation.
        var timeout = new Promise(function (_resolve, reject) {
          setTimeout(function () { reject({ name: "Timeout" }); }, 30000);
        });
        var request = navigator.mediaDevices.getUserMedia({
          video: { facingMode: "user", width: { ideal: 640 }, height: { ideal: 480 } },
          audio: false
        });
        return Promise.race([request, timeout]).then(function (media) {
          stream = media;
          video.srcObject = media;
          video.setAttribute("playsinline", "");
          video.muted = true;
          return video.play().catch(function () {}).then(function () {
            element.dataset.state = "live";
            return media;
          });
        }).catch(fail);
      },
      capture: function (options) {
        options = options || {};
        var maxSide = options.maxSide || 800;
        return new Promise(function (resolve, reject) {
          function grab() {
            var width = video.videoWidth, height = video.videoHeight;
            if (!width || !height) { reject(new Error("no frame")); return; }
            var scale = Math.min(1, maxSide / Math.max(width, height));
            var canvas = document.createElement("canvas");
            canvas.width = Math.round(width * scale);
            canvas.height = Math.round(height * scale);
            canvas.getContext("2d").drawImage(video, 0, 0, canvas.width, canvas.height);
            canvas.toBlob(function (blob) { blob ? resolve(blob) : reject(new Error("no blob")); }, "image/jpeg", options.quality || 0.85);
          }
          if (video.readyState >= 2) grab();
          else video.addEventListener("loadeddata", grab, { once: true });
        });
      },
      stop: function () {
        if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
        stream = null;
        element.dataset.state = "stopped";
      }
    };
  }

  function post(url, blob, fields) {
    var data = new FormData();
    data.append("photo", blob, "capture.jpg");
    (fields || []).forEach(function (field) { data.append(field[0], field[1]); });
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": match ? decodeURIComponent(match[1]) : "", "Accept": "application/json" }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (json) {
        json.httpStatus = response.status;
        return json;
      });
    });
  }

  window.ZhengtuCamera = { attach: attach, post: post, explain: explain };
})();
