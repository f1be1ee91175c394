/* Staff console: live queue and transcript (SSE, cookie session), actions without reloads.
   Text from residents is only ever set with textContent. */
(function () {
  "use strict";
  var main = document.getElementById("main");
  var csrf = main && main.dataset.csrf;

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function queueTable(items, empty) {
    if (!items.length) return el("p", empty);
    var table = el("table", null, "queue-table");
    var caption = el("caption", "Cases, most urgent first", "visually-hidden");
    table.appendChild(caption);
    var head = el("tr");
    ["Case", "Priority", "Topic and summary", "References", "Verified", "Waiting"]
      .forEach(function (h) { var th = el("th", h); th.scope = "col"; head.appendChild(th); });
    table.appendChild(el("thead")).appendChild(head);
    var body = table.appendChild(el("tbody"));
    items.forEach(function (e) {
      var row = el("tr", null, e.safeguarding ? "safeguarding" : "");
      var link = el("a", "Case " + e.id); link.href = "/staff/cases/" + e.id;
      var first = el("td"); first.appendChild(link);
      if (e.kind === "callback") { first.appendChild(document.createTextNode(" ")); first.appendChild(el("span", "Call-back", "tag")); }
      row.appendChild(first);
      var prio = el("td");
      if (e.safeguarding) { prio.appendChild(el("span", "Safeguarding", "tag tag-red")); prio.appendChild(document.createTextNode(" ")); }
      prio.appendChild(document.createTextNode(e.priority.charAt(0).toUpperCase() + e.priority.slice(1)));
      row.appendChild(prio);
      var topic = el("td"); topic.appendChild(el("strong", e.topic.replace(/_/g, " ")));
      topic.appendChild(el("br")); topic.appendChild(document.createTextNode(e.summary));
      row.appendChild(topic);
      var refs = Object.keys(e.references).map(function (k) { return k.replace(/_/g, " ") + ": " + e.references[k]; });
      row.appendChild(el("td", refs.join(", ") || "None"));
      row.appendChild(el("td", e.verified ? "Yes" : "No"));
      var waited = el("td", Math.floor(e.waiting_seconds / 60) + " min");
      if (e.over_target) { waited.appendChild(document.createTextNode(" ")); waited.appendChild(el("span", "Over target", "tag tag-red")); }
      row.appendChild(waited);
      body.appendChild(row);
    });
    return table;
  }

  // EventSource alone retries every 2 s for ever, and stops for good when a restarting gateway
  // or the balancer answers with an error. Reconnect here instead, from the last message seen,
  // backing off with full jitter (1 s, 2 s, 4 s... up to 30 s) as the residents' widget does.
  function reconnecting(urlNow, eventName, onEvent) {
    var failures = 0;
    function open() {
      var source = new EventSource(urlNow());
      source.addEventListener(eventName, onEvent);
      source.onopen = function () { failures = 0; };
      source.onerror = function () {
        source.close();
        setTimeout(open, 500 + Math.random() * Math.min(30000, 1000 * Math.pow(2, failures++)));
      };
    }
    open();
  }

  function liveQueue() {
    var waiting = document.getElementById("waiting");
    if (!waiting || !window.EventSource) return;
    var known = null;
    var alertBox = document.getElementById("queue-alert");
    reconnecting(function () { return "/staff/stream"; }, "queue", function (event) {
      var data = JSON.parse(event.data);
      waiting.replaceChildren(queueTable(data.waiting, "Nobody is waiting."));
      document.getElementById("mine").replaceChildren(queueTable(data.mine, "You have no open cases."));
      document.getElementById("waiting-count").textContent = data.waiting.length;
      var ids = data.waiting.map(function (e) { return e.id; });
      var fresh = known ? ids.filter(function (id) { return known.indexOf(id) < 0; }) : [];
      known = ids;
      document.title = (ids.length ? "(" + ids.length + ") " : "") + "Queue – Anytown chat";
      if (fresh.length) {
        // A visual, sound-free alert: a highlighted banner (announced politely) and the title.
        alertBox.textContent = fresh.length + " new resident" + (fresh.length > 1 ? "s" : "") + " waiting.";
        alertBox.hidden = false;
        alertBox.classList.remove("flash"); void alertBox.offsetWidth; alertBox.classList.add("flash");
      }
    });
  }

  function liveTranscript() {
    var log = document.getElementById("transcript");
    var grid = document.querySelector("[data-escalation]");
    if (!log || !grid || !window.EventSource) return;
    var last = log.dataset.last;
    reconnecting(function () {
      return "/staff/cases/" + grid.dataset.escalation + "/stream?after=" + last;
    }, "message", function (event) {
      var data = JSON.parse(event.data), m = data.message;
      last = m.id;
      document.getElementById("chat-state").textContent = data.state.replace(/_/g, " ");
      if (log.querySelector('[data-id="' + m.id + '"]')) return;
      var item = el("li", null, "msg msg-" + m.sender);
      item.dataset.id = m.id;
      item.appendChild(el("span", (m.author || m.sender.charAt(0).toUpperCase() + m.sender.slice(1)) + ":", "who"));
      item.appendChild(document.createTextNode(" "));
      item.appendChild(el("span", m.text, "text"));
      log.appendChild(item);
      log.parentNode.scrollTop = log.parentNode.scrollHeight;
    });
  }

  function actions() {
    var result = document.getElementById("action-result");
    Array.prototype.forEach.call(document.querySelectorAll("form.js-action"), function (form) {
      form.addEventListener("submit", function (e) {
        e.preventDefault();
        var button = form.querySelector("button[type=submit]");
        button.disabled = true;
        fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin",
          headers: { Accept: "application/json", "X-CSRF-Token": csrf } })
          .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
          .then(function (res) {
            if (!res.ok) throw new Error((res.body.error || {}).message || "That did not work.");
            if (form.id === "reply-form") {
              form.querySelector("textarea").value = "";
              result.textContent = "Reply sent.";
              button.disabled = false;
              form.querySelector("textarea").focus();
            } else {
              location.reload();
            }
          })
          .catch(function (err) { result.textContent = err.message; button.disabled = false; });
      });
    });
    var saved = document.getElementById("saved-reply");
    if (saved) saved.addEventListener("change", function () {
      if (saved.value) { var box = document.getElementById("reply-text"); box.value = saved.value; box.focus(); }
    });
  }

  liveQueue();
  liveTranscript();
  actions();
})();
