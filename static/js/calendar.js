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
