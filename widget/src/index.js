// Entry point of the one <script> tag a clinic adds to its site:
//
//   <script src="https://assistant.example/webhooks/widget/backcare-widget.js"
//           data-clinic-name="Riverside Back Clinic" data-primary-color="#0f5e6e"
//           data-lang="en" defer></script>
//
// See widget/README.md for every option. `window.BackcareWidget` lets the page
// open or close the chat from its own buttons.
import { readConfig } from "./config.js";
import { Widget } from "./widget.js";

const script = document.currentScript;

function boot() {
  if (window.BackcareWidget && window.BackcareWidget.widget) return; // included twice: one widget
  const widget = new Widget(readConfig(script)).mount();
  window.BackcareWidget = {
    widget,
    open: () => widget.open(),
    close: () => widget.close(),
  };
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", boot, { once: true });
} else {
  boot();
}
