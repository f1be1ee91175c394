/* Anytown chat widget: message text made readable, with DOM methods only (never innerHTML).
   Paragraphs and line breaks, "- " bulleted and "1. " numbered lists, http(s) links, ISO dates
   as "Tuesday 8 December 2026", and money and dates kept on one line. Loaded by widget.js. */
(function () {
  "use strict";
  var BULLET = /^\s*[-*\u2022]\s+(.*)$/;
  var NUMBER = /^\s*(\d{1,3})[.)]\s+(.*)$/;
  // Markdown link | bare URL | ISO date | money | "Tuesday 8 December (2026)" / "8 December".
  var INLINE = new RegExp([
    "\\[([^\\]]+)\\]\\((https?:\\/\\/[^\\s)]+)\\)",
    "(https?:\\/\\/[^\\s<>\"]+|www\\.[^\\s<>\"]+)",
    "\\b(\\d{4}-\\d{2}-\\d{2})\\b",
    "(-?\u00a3\\d[\\d,]*(?:\\.\\d{2})?)",
    "\\b((?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day )?\\d{1,2} (?:January|February|March|" +
      "April|May|June|July|August|September|October|November|December)(?: \\d{4})?)\\b"
  ].join("|"), "g");

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) node.textContent = text;
    return node;
  }

  function link(href, title) {
    var a = el("a", { href: href, target: "_blank", rel: "noopener noreferrer" }, title);
    a.appendChild(el("span", { class: "cb-visually-hidden" }, " (opens in a new tab)"));
    return a;
  }

  var DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];

  function isoDate(value) {
    // GOV.UK style, "Tuesday 8 December 2026", whatever the browser's locale data says.
    var d = new Date(value + "T12:00:00Z");
    if (isNaN(d.getTime())) return null;
    return el("time", { datetime: value, class: "cb-nowrap" }, DAYS[d.getUTCDay()] + " " +
      d.getUTCDate() + " " + MONTHS[d.getUTCMonth()] + " " + d.getUTCFullYear());
  }

  function inline(parent, text) {
    var last = 0, match;
    INLINE.lastIndex = 0;
    while ((match = INLINE.exec(text)) !== null) {
      parent.appendChild(document.createTextNode(text.slice(last, match.index)));
      var trail = "";
      if (match[1]) parent.appendChild(link(match[2], match[1]));
      else if (match[3]) {
        var href = match[3];
        trail = (href.match(/[.,;:!?)]+$/) || [""])[0];
        href = href.slice(0, href.length - trail.length);
        parent.appendChild(link(href.indexOf("www.") === 0 ? "https://" + href : href, href));
      } else if (match[4]) parent.appendChild(isoDate(match[4]) || document.createTextNode(match[4]));
      else parent.appendChild(el("span", { class: "cb-nowrap" }, match[5] || match[6]));
      parent.appendChild(document.createTextNode(trail));
      last = match.index + match[0].length;
    }
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function render(text) {
    var box = el("div", { class: "cb-text" });
    var list = null, para = null;
    String(text || "").split(/\r?\n/).forEach(function (line) {
      var bullet = line.match(BULLET), number = line.match(NUMBER);
      if (bullet || number) {
        var kind = bullet ? "ul" : "ol";
        if (!list || list.tagName.toLowerCase() !== kind) {
          list = el(kind, { class: "cb-" + kind });
          if (number && number[1] !== "1") list.setAttribute("start", number[1]);
          box.appendChild(list);
        }
        var item = el("li");
        inline(item, bullet ? bullet[1] : number[2]);
        list.appendChild(item);
        para = null;
      } else if (!line.trim()) {
        list = null; para = null;
      } else {
        list = null;
        if (para) para.appendChild(el("br"));
        else { para = el("p"); box.appendChild(para); }
        inline(para, line);
      }
    });
    return box;
  }

  window.councilbotText = { render: render };
})();
