// The demo page's own button opens the chat through the widget's small API.
document.getElementById("ask-assistant").addEventListener("click", () => {
  if (window.BackcareWidget) window.BackcareWidget.open();
});
