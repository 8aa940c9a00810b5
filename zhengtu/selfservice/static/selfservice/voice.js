/* Voice note for a written report: MediaRecorder; the recording joins the form through the outbox ("app:collect"). */
(function () {
  "use strict";
  var box = document.getElementById("voice");
  var form = document.getElementById("report-form");
  if (!box || !form) return;
  var button = document.getElementById("voice-button");
  var status = document.getElementById("voice-status");
  var preview = document.getElementById("voice-preview");
  var recorder = null, chunks = [], blob = null, started = 0, seconds = 0;

  if (!window.MediaRecorder || !navigator.mediaDevices) {
    status.textContent = box.dataset.msgUnsupported;
    button.disabled = true;
    return;
  }

  function type() {
    var types = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/mp4"];
    for (var i = 0; i < types.length; i++) if (MediaRecorder.isTypeSupported(types[i])) return types[i];
    return "";
  }

  button.addEventListener("click", function () {
    if (recorder && recorder.state === "recording") { recorder.stop(); return; }
    navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
      chunks = [];
      var mime = type();
      recorder = mime ? new MediaRecorder(stream, { mimeType: mime }) : new MediaRecorder(stream);
      recorder.ondataavailable = function (event) { if (event.data.size) chunks.push(event.data); };
      recorder.onstop = function () {
        stream.getTracks().forEach(function (track) { track.stop(); });
        seconds = Math.round((Date.now() - started) / 1000);
        blob = new Blob(chunks, { type: (recorder.mimeType || "audio/webm").split(";")[0] });
        preview.src = URL.createObjectURL(blob);
        preview.hidden = false;
        status.textContent = box.dataset.msgRecorded.replace("{s}", String(seconds));
      };
      started = Date.now();
      recorder.start();
      status.textContent = box.dataset.msgRecording;
    }, function () {
      status.textContent = box.dataset.msgDenied;
    });
  });

  form.addEventListener("app:collect", function (event) {
    if (!blob) return;
    var extension = blob.type.indexOf("ogg") !== -1 ? "ogg" : blob.type.indexOf("mp4") !== -1 ? "m4a" : "webm";
    event.detail.push(["voice", blob, "voice." + extension]);
    event.detail.push(["voice_seconds", String(seconds)]);
  });
  form.addEventListener("app:result", function (event) {
    if (event.detail.status !== "refused") { blob = null; preview.hidden = true; status.textContent = ""; }
  });
})();
