// 工会通 front-end glue: no inline scripts (the CSP forbids them); behaviour is attached here.
(function () {
  "use strict";

  // Tree: a toggle loads the children once (HTMX), then shows/hides them.
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest(".tree-toggle");
    if (!toggle) return;
    var li = toggle.closest("li");
    var box = li.querySelector(":scope > .tree-children");
    var expanded = toggle.getAttribute("aria-expanded") === "true";
    if (expanded) {
      toggle.setAttribute("aria-expanded", "false");
      box.hidden = true;
      return;
    }
    toggle.setAttribute("aria-expanded", "true");
    box.hidden = false;
    if (!box.dataset.loaded && window.htmx) {
      box.dataset.loaded = "1";
      window.htmx.ajax("GET", toggle.dataset.url, { target: box, swap: "innerHTML" });
    }
  });

  // Confirm dangerous actions: <form data-confirm="…">.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });

  // Copy buttons: <button data-copy="#id">.
  document.addEventListener("click", function (event) {
    var btn = event.target.closest("[data-copy]");
    if (!btn) return;
    var el = document.querySelector(btn.dataset.copy);
    if (el && navigator.clipboard) {
      navigator.clipboard.writeText(el.textContent.trim());
      btn.textContent = "已复制";
    }
  });
})();
