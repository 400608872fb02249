// The injection form's site list: clicking a site gives it its usual units (or clears
// it), and the total is kept beside the units given, so a mismatch shows before saving.
(function () {
  "use strict";

  function setUp(fieldset) {
    if (fieldset.dataset.ready) {
      return;
    }
    fieldset.dataset.ready = "1";
    var form = fieldset.closest("form");
    var given = form.querySelector("#" + fieldset.dataset.unitsField);
    var inputs = Array.prototype.slice.call(fieldset.querySelectorAll("input.site-units"));
    var sum = fieldset.querySelector(".site-sum");
    var givenOut = fieldset.querySelector(".site-given");
    var check = fieldset.querySelector(".site-check");

    function update() {
      var total = 0;
      inputs.forEach(function (input) {
        var n = parseInt(input.value, 10);
        if (!isNaN(n)) {
          total += n;
        }
        var button = fieldset.querySelector('button[data-for="' + input.id + '"]');
        if (button) {
          button.setAttribute("aria-pressed", input.value ? "true" : "false");
        }
      });
      var units = given ? parseInt(given.value, 10) || 0 : 0;
      sum.textContent = String(total);
      givenOut.textContent = String(units);
      if (total === 0) {
        check.textContent = "";
      } else if (total === units) {
        check.textContent = "— they match.";
      } else {
        check.textContent = "— they do not match yet.";
      }
    }

    fieldset.addEventListener("click", function (event) {
      var button = event.target.closest("button.site-toggle");
      if (!button) {
        return;
      }
      var input = document.getElementById(button.dataset.for);
      input.value = input.value ? "" : input.dataset.default;
      update();
    });
    fieldset.addEventListener("input", update);
    if (given) {
      given.addEventListener("input", update);
    }
    update();
  }

  document.querySelectorAll("fieldset.injection-sites").forEach(setUp);
})();
