// Saves the hearing-sheet draft in the background while the person types.
// The server refuses a stale save (409): then autosave stops and says so, and the person's
// own "Save draft" shows both versions side by side. Nothing typed is ever discarded here.
// A field that is not valid yet does not stop the rest from being saved: the server saves what is
// valid and says which answer is not saved; a save that fails is always said plainly.
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

  function say(text, problem) {
    if (!status) return;
    status.textContent = text;
    status.classList.toggle("autosave-status--problem", Boolean(problem));
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
      let body = {};
      try {
        body = await response.json();
      } catch (error) {
        body = {}; // a page in place of an answer (signed out, server error): said below
      }
      if (response.ok && body.saved) {
        versionInput.value = body.version;
        say(body.message, body.partial);
      } else if (response.status === 409) {
        stopped = true;
        say(body.message, true);
      } else {
        dirty = true;
        say(body.message || form.dataset.autosaveFailed, true);
      }
    } catch (error) {
      dirty = true; // offline for a moment: try again on the next change
      say(form.dataset.autosaveOffline || form.dataset.autosaveFailed, true);
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
