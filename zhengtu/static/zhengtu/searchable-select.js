// A search box in front of every select[data-searchable]: typing a name, pinyin, initials, office, birth year or
// the ID tail hides the options that do not match. Without JavaScript the plain select still works.
(function () {
  "use strict";
  function enhance(select) {
    if (select.dataset.enhanced) return;
    select.dataset.enhanced = "1";
    var box = document.createElement("input");
    box.type = "search";
    box.className = "select-search";
    box.placeholder = select.dataset.searchPlaceholder || "输入姓名、拼音首字母、所属单位或身份证尾号筛选";
    box.setAttribute("aria-label", box.placeholder);
    select.parentNode.insertBefore(box, select);
    box.addEventListener("input", function () {
      var words = box.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0, first = null;
      Array.prototype.forEach.call(select.options, function (option) {
        if (!option.value) return;
        var text = (option.text + " " + (option.dataset.search || "")).toLowerCase();
        var match = words.every(function (word) { return text.indexOf(word) !== -1; });
        option.hidden = !match;
        if (match) { shown += 1; if (!first) first = option; }
      });
      if (shown === 1 && first) select.value = first.value;
    });
  }
  function enhanceAll(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll("select[data-searchable]"), enhance);
  }
  document.addEventListener("DOMContentLoaded", function () { enhanceAll(document); });
  document.addEventListener("htmx:load", function (event) { enhanceAll(event.target); });
})();
