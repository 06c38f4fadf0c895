// Starts GOV.UK Frontend's components (error summary focus, navigation toggle, checkboxes…) and the
// session timeout warning.
import { initAll } from "../dist/govuk-frontend.min.js";
import { initTimeoutWarning } from "./timeout-warning.mjs";

initAll();

// A wide table's "scroll sideways" sentence is shown (and read as part of the table region's name) only while
// the table is wider than its region. Without JavaScript it shows always, or (--narrow) below tablet width.
for (const region of document.querySelectorAll("[data-scroll-hint]")) {
  const hint = document.getElementById(region.dataset.scrollHint);
  if (!hint) continue;
  const labels = (region.getAttribute("aria-labelledby") || "").split(" ").filter(Boolean);
  const update = () => {
    const overflows = region.scrollWidth > region.clientWidth + 1;
    hint.classList.remove("app-scroll-hint--narrow");
    hint.hidden = !overflows;
    region.setAttribute("aria-labelledby", (overflows ? labels : labels.filter((id) => id !== hint.id)).join(" "));
  };
  update();
  if ("ResizeObserver" in window) new ResizeObserver(update).observe(region);
  else window.addEventListener("resize", update);
}

initTimeoutWarning(document.querySelector('[data-module="app-timeout-warning"]'));

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

// The opportunity form's rule advice follows the values as the officer changes them: the form is sent (not saved)
// to the advice address and the panel's content replaced; the panel is a polite live region. Without JavaScript the
// "Check the advice" button does the same with a page load.
for (const form of document.querySelectorAll("form[data-app-live-advice]")) {
  const panel = document.getElementById(form.dataset.adviceTarget);
  if (!panel) continue;
  let timer = null;
  let latest = 0;
  const refresh = async () => {
    const asked = ++latest;
    try {
      const response = await fetch(form.dataset.appLiveAdvice, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" },
      });
      if (response.ok && asked === latest) panel.innerHTML = await response.text();
    } catch {
      // Offline or refused: the panel keeps the last advice and the button still works.
    }
  };
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  };
  form.addEventListener("change", later);
  form.addEventListener("input", later);
}
