// Starts GOV.UK Frontend's components (error summary focus, navigation toggle, checkboxes…) and the
// session timeout warning.
import { initAll } from "../dist/govuk-frontend.min.js";
import { initTimeoutWarning } from "./timeout-warning.mjs";

initAll();
initTimeoutWarning(document.querySelector('[data-module="app-timeout-warning"]'));
