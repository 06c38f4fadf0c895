// Starts GOV.UK Frontend's components (error summary focus, navigation toggle, checkboxes…).
import { initAll } from "../dist/govuk-frontend.min.js";

initAll();
