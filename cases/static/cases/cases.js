/* cases: small behaviours of the case pages (no inline scripts: CSP). */
(function () {
  "use strict";
  function onReady(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }
  onReady(function () {
    // Intake forms: anonymous reports hide the name, phone and consent fields.
    document.querySelectorAll("form[data-identity-toggle]").forEach(function (form) {
      var box = form.querySelector("input[name=anonymous]");
      if (!box) { return; }
      var rows = ["contact_name", "contact_phone", "contact_consent"].map(function (name) {
        var input = form.querySelector("[name=" + name + "]");
        return input ? (input.closest("[data-row]") || input.closest(".mb-3")) : null;
      }).filter(Boolean);
      function sync() { rows.forEach(function (row) { row.hidden = box.checked; }); }
      box.addEventListener("change", sync);
      sync();
    });
    // Routing suggestions: "选用" puts the unit into the dispatch form.
    document.querySelectorAll("[data-pick-unit]").forEach(function (button) {
      button.addEventListener("click", function () {
        var select = document.querySelector("#act-dispatch select[name=unit]");
        if (select) {
          select.value = button.getAttribute("data-pick-unit");
          select.focus();
        }
      });
    });
    // Follow-up form: satisfaction and "resolved" only matter when the person answered.
    document.querySelectorAll("#act-follow_up form").forEach(function (form) {
      var radios = form.querySelectorAll("input[name=outcome]");
      var rows = ["satisfaction", "resolved"].map(function (name) {
        var input = form.querySelector("[name=" + name + "]");
        return input ? input.closest(".mb-3") : null;
      }).filter(Boolean);
      function sync() {
        var checked = form.querySelector("input[name=outcome]:checked");
        var answered = !checked || checked.value === "answered";
        rows.forEach(function (row) { row.hidden = !answered; });
      }
      radios.forEach(function (r) { r.addEventListener("change", sync); });
      sync();
    });
  });
})();
