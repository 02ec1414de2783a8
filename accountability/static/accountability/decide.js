/* accountability: the decision form. Fields that only a change uses are shown when
   "调整后采纳" is chosen; the term of a measure served over a term (基层再上岗) only when
   such a measure is among the measures; "按严重问题处理" ticks the policy's serious-finding
   measures. Without JavaScript every field stays visible and the server checks everything. */
(function () {
  "use strict";
  var CHANGE_ONLY = ["measures", "staff", "apology_kind"];

  function block(form, name) {
    var el = form.querySelector("[data-field-block='" + name + "']");
    // a field the server refused stays in sight with its message
    return el && !el.querySelector(".invalid-feedback") ? el : null;
  }

  function outcome(form) {
    var checked = form.querySelector("input[name='outcome']:checked");
    return checked ? checked.value : "";
  }

  function refresh(form) {
    var changing = outcome(form) === "changed";
    CHANGE_ONLY.forEach(function (name) {
      var el = block(form, name);
      if (el) { el.hidden = !changing; }
    });
    var termed = (form.getAttribute("data-termed") || "").split(" ");
    var hasTerm = Array.prototype.some.call(form.querySelectorAll("input[name='measures']:checked"), function (box) {
      return termed.indexOf(box.value) !== -1;
    });
    ["term_start", "term_end"].forEach(function (name) {
      var el = block(form, name);
      if (el) { el.hidden = !hasTerm || outcome(form) === "rejected"; }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-decide-form]");
    if (!form) { return; }
    form.addEventListener("change", function (event) {
      if (event.target && (event.target.name === "outcome" || event.target.name === "measures")) { refresh(form); }
    });
    refresh(form);
    var serious = document.querySelector("button[data-serious]");
    if (serious) {
      serious.addEventListener("click", function () {
        var changed = form.querySelector("input[name='outcome'][value='changed']");
        if (changed) { changed.checked = true; }
        serious.getAttribute("data-serious").split(" ").forEach(function (code) {
          var box = form.querySelector("input[name='measures'][value='" + code + "']");
          if (box) { box.checked = true; }
        });
        refresh(form);
        var reason = form.querySelector("[name='reason']");
        if (reason) { reason.focus(); }
      });
    }
  });
})();
