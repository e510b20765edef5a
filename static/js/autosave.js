// Saves the hearing-sheet draft in the background while the person types.
// The server refuses a stale save (409): then autosave stops and says so, and the person's
// own "Save draft" shows both versions side by side. Nothing typed is ever discarded here.
(function () {
  "use strict";
  const form = document.querySelector("form[data-autosave-url]");
  if (!form) return;
  const status = form.querySelector("[data-autosave-status]");
  const versionInput = form.querySelector("input[name=version]");
  const DELAY_MS = 4000;
  let timer = null;
  let stopped = false;
  let dirty = false;

  function say(text) {
    if (status) status.textContent = text;
  }

  async function save() {
    timer = null;
    if (stopped || !dirty) return;
    dirty = false;
    const data = new FormData(form);
    for (const [key, value] of [...data.entries()]) {
      if (value instanceof File) data.delete(key);
    }
    try {
      const response = await fetch(form.dataset.autosaveUrl, {
        method: "POST",
        body: data,
        headers: { "X-Requested-With": "XMLHttpRequest" },
        credentials: "same-origin",
      });
      const body = await response.json();
      if (response.ok && body.saved) {
        versionInput.value = body.version;
        say(body.message);
      } else if (response.status === 409) {
        stopped = true;
        say(body.message);
      } else {
        say(body.message || "");
      }
    } catch (error) {
      dirty = true; // offline for a moment: try again on the next change
    }
  }

  form.addEventListener("input", (event) => {
    if (event.target.type === "file") return;
    dirty = true;
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, DELAY_MS);
  });
  form.addEventListener("submit", () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  });
})();
