// Compiles GOV.UK Frontend with the council's typography (Arial, no GOV.UK Transport font or crown)
// and copies its JavaScript and images into carenetwork/static/dist, which Django serves.
import { mkdirSync, copyFileSync, writeFileSync, cpSync } from "node:fs";
import { compile } from "sass";

const out = "carenetwork/static/dist";
const govuk = "node_modules/govuk-frontend/dist/govuk";
mkdirSync(`${out}/images`, { recursive: true });

const css = compile("carenetwork/static/scss/app.scss", {
  loadPaths: ["node_modules"],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(`${out}/app.css`, css.css);
copyFileSync(`${govuk}/govuk-frontend.min.js`, `${out}/govuk-frontend.min.js`);
cpSync(`${govuk}/assets/images`, `${out}/images`, { recursive: true });
copyFileSync("node_modules/axe-core/axe.min.js", `${out}/axe.min.js`);
console.log(`Built ${out}/app.css (${css.css.length} bytes)`);
