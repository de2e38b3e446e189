// Staff weight sliders: the number beside a slider follows it as it moves, written in the
// page's language (0,35 in Dutch, 0.35 in English) with as many decimals as the slider's step.
// Loaded from this site, as the Content-Security-Policy requires (script-src 'self'). Without
// it the number shows the value the page was served with, and the form posts the same.
(function () {
  "use strict";
  var language = document.documentElement.lang || "nl";

  function decimals(input) {
    var step = input.getAttribute("step") || "1";
    var dot = step.indexOf(".");
    return dot < 0 ? 0 : step.length - dot - 1;
  }

  function follow(input) {
    var output = document.getElementById(input.getAttribute("data-value-shown-in"));
    if (!output) {
      return;
    }
    var digits = decimals(input);
    var format = new Intl.NumberFormat(language, {
      minimumFractionDigits: digits, maximumFractionDigits: digits
    });
    function show() {
      output.textContent = format.format(Number(input.value));
    }
    input.addEventListener("input", show);
    // A browser that restores a form (Back, reload) restores the slider: show its value.
    window.addEventListener("pageshow", show);
    show();
  }

  var sliders = document.querySelectorAll("input[type=range][data-value-shown-in]");
  for (var i = 0; i < sliders.length; i++) {
    follow(sliders[i]);
  }
})();
