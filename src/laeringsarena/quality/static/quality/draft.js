// Autosaves the deviation form as a draft in this browser only (localStorage), never on the server.
(function () {
  const form = document.getElementById("deviation-form");
  if (!form || !window.localStorage) return;
  const key = form.dataset.draftKey;
  const status = document.getElementById("draft-status");
  const fields = ["category_id", "what_happened", "unit_id", "severity", "occurred_at", "immediate_action", "suggestion"];
  const hasErrors = document.querySelector(".error-summary, #pii-warning .notice");
  try {
    const saved = JSON.parse(localStorage.getItem(key) || "null");
    if (saved && !hasErrors && !form.what_happened.value) {
      for (const name of fields) {
        const el = form.elements[name];
        if (!el || saved[name] === undefined) continue;
        if (el instanceof RadioNodeList) { for (const r of el) r.checked = r.value === saved[name]; }
        else el.value = saved[name];
      }
      if (status) status.textContent = "Utkastet ditt er hentet fram igjen.";
    }
  } catch (e) { localStorage.removeItem(key); }
  let timer;
  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      const data = {};
      for (const name of fields) { const el = form.elements[name]; if (el) data[name] = el.value; }
      localStorage.setItem(key, JSON.stringify(data));
      if (status) status.textContent = "Utkast lagret på denne enheten.";
    }, 400);
  });
  form.addEventListener("submit", function () { localStorage.removeItem(key); });
})();
