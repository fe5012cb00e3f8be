/* The visit form on a phone: pickers (htmx fills the results; a tap adds a chip with a hidden id),
   and the optional location from the browser, only when the cadre ticks the box. */
(function () {
  "use strict";
  function chip(kind, id, label) {
    var span = document.createElement("span");
    span.className = "chip";
    span.dataset.id = id;
    var input = document.createElement("input");
    input.type = "hidden"; input.name = kind; input.value = id;
    var remove = document.createElement("button");
    remove.type = "button"; remove.dataset.unpick = ""; remove.textContent = "×";
    remove.setAttribute("aria-label", (document.documentElement.lang === "en" ? "Remove " : "移除 ") + label);
    span.appendChild(input);
    span.appendChild(document.createTextNode(label));
    span.appendChild(remove);
    return span;
  }
  // The first young person picked moves the place to their village, unless the cadre chose a place.
  var place = document.getElementById("id_place");
  var placeTouched = !!(place && place.dataset.chosen);
  if (place) place.addEventListener("change", function () { placeTouched = true; });
  function placeFrom(nodeId) {
    if (!place || placeTouched || !nodeId) return;
    if (place.querySelector('option[value="' + nodeId + '"]')) { place.value = nodeId; placeTouched = true; }
  }
  function selected(kind) { return document.getElementById(kind + "-selected"); }
  function has(kind, id) { return !!selected(kind).querySelector('input[value="' + id + '"]'); }
  function markPicked(root) {
    (root || document).querySelectorAll("[data-pick]").forEach(function (button) {
      button.disabled = has(button.dataset.pick, button.dataset.id);
    });
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-pick]");
    if (button) {
      var kind = button.dataset.pick;
      if (!has(kind, button.dataset.id)) selected(kind).appendChild(chip(kind, button.dataset.id, button.dataset.label));
      button.disabled = true;
      placeFrom(button.dataset.place);
      var picker = button.closest("[data-clear-on-pick]");
      if (picker) {  // one name at a time: the box is ready for the next one
        var search = picker.querySelector("[data-picker-search]");
        search.value = "";
        picker.querySelector("[id$=-results]").innerHTML = "";
        search.focus();
      }
      return;
    }
    var remove = event.target.closest("[data-unpick]");
    if (remove) { remove.closest(".chip").remove(); markPicked(); }
  });
  // Enter in a picker's search box searches; it must not submit the visit.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.matches("[data-picker-search]")) event.preventDefault();
  });
  document.addEventListener("htmx:afterSwap", function (event) { markPicked(event.target); });

  var box = document.getElementById("use-location");
  if (box) {
    var status = document.getElementById("location-status");
    var lat = document.getElementById("id_latitude"), lng = document.getElementById("id_longitude");
    box.addEventListener("change", function () {
      lat.value = ""; lng.value = ""; status.textContent = "";
      if (!box.checked) return;
      if (!navigator.geolocation) { status.textContent = box.dataset.unsupported; box.checked = false; return; }
      status.textContent = box.dataset.locating;
      navigator.geolocation.getCurrentPosition(function (pos) {
        lat.value = pos.coords.latitude.toFixed(6); lng.value = pos.coords.longitude.toFixed(6);
        status.textContent = box.dataset.located.replace("%s", Math.round(pos.coords.accuracy));
      }, function () {
        status.textContent = box.dataset.failed; box.checked = false;
      }, {enableHighAccuracy: true, timeout: 15000, maximumAge: 60000});
    });
  }
})();
