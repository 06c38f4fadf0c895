// Starts GOV.UK Frontend's components (error summary focus, navigation toggle, checkboxes…).
import { initAll } from "../dist/govuk-frontend.min.js";

initAll();

// An import's progress bar follows the run in place (no page reloads, WCAG 2.2.2), and the person can pause it.
// Without JavaScript the page offers a link to see how far it has got.
for (const box of document.querySelectorAll("[data-app-import-progress]")) {
  const url = box.dataset.appImportProgress;
  const every = Number(box.dataset.pollSeconds || 2) * 1000;
  const bar = box.querySelector("progress");
  const label = box.querySelector("[data-progress-label]");
  const status = box.querySelector("[data-progress-status]");
  const announce = box.querySelector("[data-progress-announce]");
  const manual = box.querySelector("[data-progress-manual]");
  const controls = box.querySelector("template[data-progress-controls]");
  const finished = box.querySelector("template[data-progress-finished]");
  const number = (n) => Number(n).toLocaleString("en-GB");
  let timer = null;
  let paused = false;

  const controlsNode = controls.content.cloneNode(true);
  const pause = controlsNode.querySelector("[data-progress-pause]");
  manual.replaceWith(controlsNode);

  async function poll() {
    timer = null;
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok) throw new Error(String(response.status));
      const run = await response.json();
      bar.value = run.percent;
      bar.textContent = `${run.percent}%`;
      label.textContent = `${label.dataset.template
        .replace("{done}", number(run.processed_rows))
        .replace("{total}", number(run.total_rows))} (${run.percent}%)`;
      status.textContent = run.status_label;
      if (run.finished) {
        pause.parentNode && pause.remove();
        announce.replaceChildren(finished.content.cloneNode(true));
        return;
      }
    } catch {
      // A lost connection: try again at the next tick.
    }
    if (!paused) timer = setTimeout(poll, every);
  }

  pause.addEventListener("click", () => {
    paused = !paused;
    pause.textContent = paused ? pause.dataset.resumeText : pause.dataset.pauseText;
    if (paused && timer) {
      clearTimeout(timer);
      timer = null;
    } else if (!paused && !timer) {
      poll();
    }
  });
  timer = setTimeout(poll, every);
}
