// The day calendar's side panel: keyboard users land in the panel they opened, and
// Escape closes it.
document.addEventListener("htmx:afterSwap", function (event) {
  if (event.target.id === "panel") {
    var heading = event.target.querySelector("h2");
    if (heading) heading.focus();
  }
});
document.addEventListener("keydown", function (event) {
  var panel = document.getElementById("panel");
  if (event.key === "Escape" && panel && panel.innerHTML) panel.innerHTML = "";
});
// Today's calendar opens scrolled to the current time, so the rest of the day is in view
// without a scroll while the patient is on the phone.
document.addEventListener("DOMContentLoaded", function () {
  var line = document.querySelector(".now-line");
  var scroller = line && line.closest(".cal-scroll");
  if (!scroller) return;
  var top = line.getBoundingClientRect().top - scroller.getBoundingClientRect().top;
  scroller.scrollTop = Math.max(0, top - scroller.clientHeight / 4);
});
