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
