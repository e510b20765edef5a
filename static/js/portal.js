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
