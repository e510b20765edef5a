// Progressive enhancement only: every form works without this file.
document.addEventListener("change", (event) => {
  const el = event.target;
  if (el instanceof HTMLSelectElement && el.hasAttribute("data-autosubmit") && el.form) {
    el.form.requestSubmit();
  }
});

// A long job's progress (certificate batches, PDF builds): poll its status URL until it finishes.
document.querySelectorAll("[data-status-url]").forEach((box) => {
  const part = (name) => box.querySelector(`[data-job="${name}"]`);
  const poll = async () => {
    let data;
    try {
      const response = await fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" } });
      if (!response.ok) return;
      data = await response.json();
    } catch {
      setTimeout(poll, 3000);
      return;
    }
    if (part("label")) part("label").textContent = data.status_label;
    if (part("done")) part("done").textContent = data.done;
    if (part("total")) part("total").textContent = data.total;
    if (part("bar")) {
      part("bar").value = data.percent;
      part("bar").textContent = `${data.percent}%`;
    }
    if (data.finished) {
      box.dispatchEvent(new CustomEvent("job:finished", { detail: data, bubbles: true }));
      // Reload once to show the result (a download link), unless the page already shows it.
      if (data.reload && data.status !== box.dataset.renderedStatus) window.location.reload();
    } else {
      setTimeout(poll, 1000);
    }
  };
  poll();
});

// Form errors: move focus to the summary at the top of the page; its links focus the field itself
// (an anchor alone would only scroll), with its label in view.
const errorSummary = document.querySelector("[data-error-summary]");
if (errorSummary) {
  errorSummary.focus();
  errorSummary.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-error-link]");
    if (!link) return;
    const input = document.getElementById(link.hash.slice(1));
    if (!input) return;
    event.preventDefault();
    const legendOrLabel = input.closest("fieldset")?.querySelector("legend") || document.querySelector(`label[for="${input.id}"]`);
    (legendOrLabel || input).scrollIntoView({ block: "start" });
    input.focus({ preventScroll: true });
  });
}

// Navigation behind a menu button at phone width (the list stays open without JavaScript).
document.querySelectorAll("[data-nav-toggle]").forEach((button) => {
  const nav = document.getElementById(button.getAttribute("aria-controls"));
  if (!nav) return;
  button.hidden = false;
  nav.classList.add("site-menu--collapsible");
  button.addEventListener("click", () => {
    const open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", String(open));
    nav.classList.toggle("site-menu--open", open);
  });
});

// A table that scrolls sideways can be scrolled with the keyboard too (axe: scrollable-region-focusable).
const markScrollableTables = () => {
  document.querySelectorAll(".table-wrap, .site-main table").forEach((box) => {
    const scrolls = box.scrollWidth > box.clientWidth + 1 && getComputedStyle(box).overflowX !== "visible";
    if (scrolls && !box.hasAttribute("tabindex")) {
      box.setAttribute("tabindex", "0");
      if (box.tagName !== "TABLE") {
        box.setAttribute("role", "region");
        const caption = box.querySelector("caption");
        box.setAttribute("aria-label", caption ? caption.textContent.trim() : document.documentElement.lang === "ja" ? "表（横にスクロールできます）" : "Table (scrolls sideways)");
      }
    }
  });
};
markScrollableTables();
window.addEventListener("resize", markScrollableTables);

// Long check-box lists of municipalities: a search box narrows the list as one types
// (全角・半角 alike); the boxes already ticked stay ticked when hidden.
document.querySelectorAll("[data-checklist]").forEach((list) => {
  const row = list.querySelector("[data-checklist-search-row]");
  const search = list.querySelector("[data-checklist-search]");
  const none = list.querySelector("[data-checklist-none]");
  if (!row || !search) return;
  row.hidden = false;
  const fold = (text) => text.normalize("NFKC").toLowerCase();
  search.addEventListener("input", () => {
    const needle = fold(search.value.trim());
    let shown = 0;
    list.querySelectorAll("fieldset").forEach((group) => {
      let inGroup = 0;
      group.querySelectorAll("[data-checklist-item]").forEach((item) => {
        const match = !needle || fold(item.dataset.checklistItem).includes(needle);
        item.hidden = !match;
        if (match) inGroup += 1;
      });
      group.hidden = inGroup === 0;
      shown += inGroup;
    });
    if (none) none.hidden = shown > 0;
  });
});
