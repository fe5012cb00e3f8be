/* The diary on a phone. Check-in: the browser's position goes into the hidden fields (no permission
   or no signal: the check-in is recorded as unlocated). Writing: the typed text is kept in
   localStorage as well as autosaved to the server (htmx), so a lost signal loses nothing; it is
   restored on load when the page came back empty or older, and cleared once the diary is submitted. */
(function () {
  "use strict";
  var form = document.getElementById("checkin-form");
  if (form) {
    var status = document.getElementById("location-status");
    var lat = document.getElementById("id_latitude"), lng = document.getElementById("id_longitude");
    var acc = document.getElementById("id_accuracy");
    if (!navigator.geolocation) {
      status.textContent = status.dataset.unsupported;
    } else {
      status.textContent = status.dataset.locating;
      navigator.geolocation.getCurrentPosition(function (pos) {
        lat.value = pos.coords.latitude.toFixed(6); lng.value = pos.coords.longitude.toFixed(6);
        acc.value = Math.round(pos.coords.accuracy);
        status.textContent = status.dataset.located.replace("%s", Math.round(pos.coords.accuracy));
        status.dataset.state = "located";
      }, function () {
        lat.value = ""; lng.value = ""; acc.value = "";
        status.textContent = status.dataset.failed;
        status.dataset.state = "failed";
      }, {enableHighAccuracy: true, timeout: 15000, maximumAge: 60000});
    }
  }

  var entry = document.getElementById("entry-form");
  if (entry && window.localStorage) {
    var key = entry.dataset.draftKey;
    var fields = ["id_work_log", "id_reflections"].map(function (id) { return document.getElementById(id); });
    var saved = null;
    try { saved = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { saved = null; }
    if (saved) {
      var restored = [];
      fields.forEach(function (field) {
        var text = saved[field.name];
        // The local copy wins only where it holds more than the server's draft (typed while offline).
        if (typeof text === "string" && text.length > field.value.length) { field.value = text; restored.push(field); }
      });
      // Once htmx is listening, send the restored text to the server as the draft.
      window.addEventListener("load", function () {
        restored.forEach(function (field) { field.dispatchEvent(new Event("input", {bubbles: true})); });
      });
    }
    entry.addEventListener("input", function () {
      var copy = {};
      fields.forEach(function (field) { copy[field.name] = field.value; });
      try { localStorage.setItem(key, JSON.stringify(copy)); } catch (e) { /* storage full: the server draft remains */ }
    });
    var draftStatus = document.getElementById("draft-status");
    if (draftStatus) {
      // The autosave did not reach the server (no signal): say so, the text is still in the phone.
      var offline = function () { draftStatus.textContent = draftStatus.dataset.offline; };
      draftStatus.addEventListener("htmx:sendError", offline);
      draftStatus.addEventListener("htmx:responseError", offline);
    }
    entry.addEventListener("submit", function () {
      // Cleared on the next page (the detail page) only if the submit succeeded: the key is checked there.
      try { sessionStorage.setItem("diary-submitted", key); } catch (e) { /* ignore */ }
    });
  }
  var done = document.querySelector("[data-entry-submitted]");
  if (done && window.localStorage) {
    try {
      var submitted = sessionStorage.getItem("diary-submitted");
      if (submitted) { localStorage.removeItem(submitted); sessionStorage.removeItem("diary-submitted"); }
    } catch (e) { /* ignore */ }
  }
})();
