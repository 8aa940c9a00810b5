/* Study page: reports what the browser sees; the server decides what counts (learning/services/study.py).
   Heartbeats carry visibility, playback state and rate, position, the `played` ranges and the seconds since
   the previous heartbeat; face checks are answered with a camera photo when the server asks, taken with the
   supervisee app's shared camera module (selfservice/camera.js: live capture only, Chinese explanations when
   the camera is blocked or missing).

   Heartbeats do not go through the app's offline outbox (selfservice/queue.js) on purpose: a heartbeat states
   what happened in the seconds before it, and the server measures those seconds on its own clock, so one sent
   late could never count. Offline, nothing counts; the next heartbeat online starts counting again. */
(function () {
  "use strict";
  var root = document.getElementById("study");
  if (!root) return;
  var d = root.dataset;
  var media = document.getElementById("media");
  var statusLine = document.getElementById("study-status");
  var counted = document.getElementById("counted");
  var panel = document.getElementById("face-check");
  var cameraElement = panel ? panel.querySelector("[data-camera]") : null;
  var camera = cameraElement && window.ZhengtuCamera ? window.ZhengtuCamera.attach(cameraElement) : null;
  var retry = document.getElementById("face-retry");
  var every = Math.max(1, parseFloat(d.heartbeat || "15")) * 1000;
  var session = null, lastBeat = performance.now(), lastTouch = performance.now(), checking = false, wasPlaying = false;

  // One request at a time, in order: heartbeats describe successive moments, and the server compares each with
  // the previous one. A heartbeat asked for while another waits is merged into it (it is built when sent).
  var queue = Promise.resolve(), beatWaiting = false;
  function serial(task) { queue = queue.then(task, task); return queue; }
  function say(text) { if (statusLine) statusLine.textContent = text || ""; }
  function post(url, body, isForm) {
    var headers = { "X-CSRFToken": d.csrf };
    if (!isForm) headers["Content-Type"] = "application/json";
    return fetch(url, { method: "POST", credentials: "same-origin", keepalive: !isForm, headers: headers,
      body: isForm ? body : JSON.stringify(body) });
  }
  function ranges() {
    var out = [];
    if (media && media.played) for (var i = 0; i < media.played.length; i++) out.push([media.played.start(i), media.played.end(i)]);
    return out;
  }
  ["touchstart", "scroll", "keydown", "mousemove", "click"].forEach(function (name) {
    window.addEventListener(name, function () { lastTouch = performance.now(); }, { passive: true });
  });
  if (media) {
    media.addEventListener("ratechange", function () { if (media.playbackRate !== 1) say(d.msgSpeed); beat(); });
    media.addEventListener("seeking", function () { beat(); });
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState !== "visible") say(d.msgHidden);
    beat();
  });

  function beat() {
    if (!session || beatWaiting) return;
    beatWaiting = true;
    serial(sendBeat);
  }
  function sendBeat() {
    beatWaiting = false;
    var now = performance.now();
    var body = {
      visible: document.visibilityState === "visible",
      playing: !!(media && !media.paused && !media.ended),
      rate: media ? media.playbackRate : 1,
      position: media ? media.currentTime : 0,
      played: ranges(),
      seconds: Math.max(0, (now - lastBeat) / 1000),
      idle_seconds: Math.max(0, (now - lastTouch) / 1000)
    };
    lastBeat = now;
    return post(session.beat, body).then(function (response) {
      return response.json().then(function (data) { return { status: response.status, data: data }; });
    }).then(function (r) {
      if (r.status === 409) { root.dataset.refused = "1"; say(d.msgRefused); return; }
      var data = r.data;
      root.dataset.beats = String(parseInt(root.dataset.beats || "0", 10) + 1);
      if (counted && data.counted_seconds !== undefined) {
        counted.dataset.seconds = data.counted_seconds;
        counted.dataset.state = data.state;
        if (d.msgCounted) counted.textContent = d.msgCounted.replace("%s", (data.counted_seconds / 60).toFixed(1));
        if (data.completed && !document.getElementById("complete")) { counted.insertAdjacentHTML("beforeend", ' <span class="tag ok" id="complete">' + d.msgComplete + "</span>"); }
      }
      if (data.face_check_due && !checking) faceCheck();
      else if (data.state === "paused" && !checking) { say(d.msgFailed); if (retry) retry.hidden = false; }
    }).catch(function () {});
  }

  function stopCamera() { if (camera) camera.stop(); }
  function answer(form) {
    return serial(function () { return post(session.face, form, true); }).then(function (r) { return r.json(); }).then(function (data) {
      checking = false; stopCamera();
      if (data.state === "counting") {
        panel.hidden = true; say(d.msgPassed);
        if (media && wasPlaying) media.play();
      } else { say(d.msgFailed); if (retry) retry.hidden = false; }
      if (panel) panel.dataset.outcome = data.outcome || "";
    });
  }
  function refuse() { var form = new FormData(); form.append("refused", "1"); return answer(form); }
  function faceCheck() {
    checking = true;
    if (media) { wasPlaying = !media.paused; media.pause(); }
    panel.hidden = false; if (retry) retry.hidden = true; say(d.msgCheck);
    if (!camera) { refuse(); return; }
    // The shared module opens the front camera (and explains a refusal on the panel); the photo is taken a
    // moment after the picture is live, so that the person has turned to the camera.
    camera.start().then(function () {
      return new Promise(function (resolve) { setTimeout(resolve, 700); });
    }).then(function () {
      return camera.capture({ maxSide: 800, quality: 0.9 });
    }).then(function (blob) {
      var form = new FormData(); form.append("photo", blob, "face.jpg"); return answer(form);
    }).catch(function () { refuse(); });
  }
  if (retry) retry.addEventListener("click", function () { if (!checking) faceCheck(); });

  if (d.kind === "exam" && d.open !== "1") return;
  var start = d.attempt ? { attempt: parseInt(d.attempt, 10) } : { lesson: parseInt(d.lesson, 10) };
  post(d.sessions, start).then(function (r) { return r.json(); }).then(function (data) {
    session = { id: data.session, beat: d.sessions + data.session + "/heartbeat/", face: d.sessions + data.session + "/face-check/" };
    root.dataset.session = data.session;
    lastBeat = performance.now();
    every = Math.max(1, parseFloat(data.heartbeat_seconds || d.heartbeat)) * 1000;
    setInterval(beat, every);
  });
})();
