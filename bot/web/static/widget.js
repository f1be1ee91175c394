/* Anytown Borough Council chat widget: one <script src=".../static/widget.js" defer> tag.
   Plain DOM, no build step. Message text is only ever set with textContent. */
(function () {
  "use strict";
  if (window.councilbotWidget) return;
  var script = document.currentScript;
  var BASE = new URL(script ? script.src : "/static/widget.js", location.href).origin;
  var STORE = "councilbot.chat";
  var PHONE = "01632 960 000";
  var HUMAN = { payload: "/request_human", text: "Talk to a person" };
  var seen = new Set();
  var chat = load();
  var state = "bot";
  var ui = {};
  var streamAbort = null;
  var lastId = 0;

  function load() {
    try { return JSON.parse(sessionStorage.getItem(STORE)) || null; } catch (e) { return null; }
  }
  function save() {
    if (chat) sessionStorage.setItem(STORE, JSON.stringify(chat));
    else sessionStorage.removeItem(STORE);
  }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) node.textContent = text;
    return node;
  }

  function build() {
    var css = el("link", { rel: "stylesheet", href: BASE + "/static/widget.css" });
    document.head.appendChild(css);
    ui.launcher = el("button", { type: "button", class: "cb-launcher", "aria-expanded": "false",
      "aria-controls": "cb-panel" }, "Chat with us");
    ui.panel = el("section", { id: "cb-panel", class: "cb-panel", role: "dialog",
      "aria-labelledby": "cb-title", "aria-describedby": "cb-intro" });
    ui.panel.hidden = true;
    var head = el("div", { class: "cb-head" });
    head.appendChild(el("h2", { id: "cb-title", class: "cb-title" }, "Anytown Council chat"));
    ui.close = el("button", { type: "button", class: "cb-close" }, "Close chat");
    head.appendChild(ui.close);
    ui.panel.appendChild(head);
    ui.panel.appendChild(el("p", { id: "cb-intro", class: "cb-intro" },
      "You are chatting with an automated assistant. To reach a person, choose " +
      "\u201cTalk to a person\u201d or phone " + PHONE + " (Monday to Friday, 9am to 5pm)."));
    var tools = el("div", { class: "cb-tools", role: "group", "aria-label": "Chat options" });
    ui.human = el("button", { type: "button" }, "Talk to a person");
    ui.download = el("button", { type: "button" }, "Download transcript");
    ui.end = el("button", { type: "button" }, "End chat");
    [ui.human, ui.download, ui.end].forEach(function (b) { tools.appendChild(b); });
    ui.panel.appendChild(tools);
    // The scrollable live region; new list items in it are announced politely.
    ui.logBox = el("div", { class: "cb-log", role: "log", "aria-live": "polite",
      "aria-label": "Conversation", tabindex: "0" });
    ui.log = el("ol", { class: "cb-list" });
    ui.logBox.appendChild(ui.log);
    ui.panel.appendChild(ui.logBox);
    ui.typing = el("p", { class: "cb-typing", role: "status" });
    ui.panel.appendChild(ui.typing);
    ui.error = el("p", { class: "cb-error", role: "alert" });
    ui.panel.appendChild(ui.error);
    ui.form = el("form", { class: "cb-form" });
    ui.form.appendChild(el("label", { for: "cb-input", class: "cb-label" }, "Your message"));
    ui.input = el("textarea", { id: "cb-input", rows: "2", maxlength: "2000",
      autocomplete: "off", "aria-describedby": "cb-hint" });
    ui.form.appendChild(ui.input);
    ui.form.appendChild(el("p", { id: "cb-hint", class: "cb-hint" },
      "Press Enter to send, Shift and Enter for a new line. Do not share card or bank details."));
    ui.send = el("button", { type: "submit", class: "cb-send" }, "Send");
    ui.form.appendChild(ui.send);
    ui.panel.appendChild(ui.form);
    ui.restart = el("button", { type: "button", class: "cb-restart" }, "Start a new chat");
    ui.restart.hidden = true;
    ui.panel.appendChild(ui.restart);
    // A labelled landmark, so the chat is easy to find and never floats outside all regions.
    ui.root = el("aside", { class: "cb-root", "aria-label": "Chat with the council" });
    ui.root.appendChild(ui.launcher);
    ui.root.appendChild(ui.panel);
    document.body.appendChild(ui.root);

    ui.launcher.addEventListener("click", function () { toggle(ui.panel.hidden); });
    ui.close.addEventListener("click", function () { toggle(false); });
    ui.panel.addEventListener("keydown", function (e) { if (e.key === "Escape") toggle(false); });
    ui.form.addEventListener("submit", function (e) { e.preventDefault(); sendTyped(); });
    ui.input.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); sendTyped(); }
    });
    ui.human.addEventListener("click", function () { send(HUMAN.text, HUMAN.payload); });
    ui.download.addEventListener("click", downloadTranscript);
    ui.end.addEventListener("click", endChat);
    ui.restart.addEventListener("click", restart);
  }

  function toggle(open) {
    ui.panel.hidden = !open;
    ui.launcher.setAttribute("aria-expanded", String(open));
    if (chat) { chat.open = open; save(); }
    if (open) ui.input.focus(); else ui.launcher.focus();
  }

  function api(path, options) {
    options = options || {};
    var headers = { "Content-Type": "application/json" };
    if (chat) headers.Authorization = "Bearer " + chat.token;
    return fetch(BASE + "/api/conversations" + path, {
      method: options.method || "GET", headers: headers,
      body: options.body ? JSON.stringify(options.body) : undefined
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) {
        if (!r.ok) { var err = new Error((body.error || {}).message || "Something went wrong.");
          err.status = r.status; throw err; }
        return body;
      });
    });
  }

  function ensureChat() {
    if (chat) return Promise.resolve();
    return api("", { method: "POST" }).then(function (body) {
      chat = { id: body.conversation_id, token: body.token, open: true };
      save();
      stream();
    });
  }

  function sendTyped() {
    var text = ui.input.value.trim();
    if (!text) { showError(new Error("Type a message first.")); ui.input.focus(); return; }
    ui.input.value = "";
    send(text, null);
  }

  function send(text, payload) {
    showError(null);
    var mine = render({ id: null, sender: "resident", text: text, buttons: [] });
    if (state === "bot") ui.typing.textContent = "The assistant is typing\u2026";
    ensureChat().then(function () {
      var body = payload ? { payload: payload, text: text } : { text: text };
      return api("/" + chat.id + "/messages", { method: "POST", body: body });
    }).then(function (body) {
      var id = body.received && body.received.id;
      if (id && !mine.dataset.id) {
        // The stream may already have shown it; otherwise this element becomes that message.
        if (seen.has(id)) mine.remove();
        else { mine.dataset.id = id; mine.removeAttribute("data-pending"); seen.add(id); }
      }
      apply(body);
    }).catch(function (err) {
      mine.classList.add("cb-failed");
      mine.appendChild(el("span", { class: "cb-note" }, " (not sent)"));
      showError(err);
    }).then(function () { ui.typing.textContent = ""; });
  }

  function apply(body) {
    (body.messages || []).forEach(render);
    if (body.state) setState(body.state);
  }

  function setState(next) {
    state = next;
    ui.human.disabled = next !== "bot";
    ui.human.textContent = next === "bot" ? "Talk to a person" :
      next === "closed" ? "Chat ended" : "Waiting for a person";
    var closed = next === "closed";
    ui.form.hidden = closed; ui.end.hidden = closed; ui.restart.hidden = !closed;
  }

  function render(m) {
    if (m.id && seen.has(m.id)) return null;
    if (m.id && m.sender === "resident") {
      var pending = ui.log.querySelector("li[data-pending='1']");
      if (pending && pending.dataset.text === m.text) {
        pending.dataset.id = m.id; pending.removeAttribute("data-pending"); seen.add(m.id);
        return pending;
      }
    }
    if (m.id) { seen.add(m.id); lastId = Math.max(lastId, Number(m.id)); }
    var who = { resident: "You", bot: "Assistant", system: "Council",
      staff: (m.author || "Adviser") + " (council staff)" }[m.sender] || "Council";
    var item = el("li", { class: "cb-msg cb-" + m.sender });
    if (m.id) item.dataset.id = m.id; else { item.dataset.pending = "1"; item.dataset.text = m.text; }
    item.appendChild(el("span", { class: "cb-who" }, who + ": "));
    item.appendChild(linkify(m.text || ""));
    if (m.buttons && m.buttons.length && m.sender !== "resident") {
      var group = el("div", { class: "cb-buttons", role: "group", "aria-label": "Quick replies" });
      m.buttons.forEach(function (b) {
        var button = el("button", { type: "button", class: "cb-quick" }, b.title);
        button.addEventListener("click", function () { send(b.title, b.payload); });
        group.appendChild(button);
      });
      item.appendChild(group);
    }
    if (m.form === "contact") item.appendChild(contactForm());
    if (m.sender === "bot" && m.id) item.appendChild(feedback(item));
    ui.log.appendChild(item);
    ui.logBox.scrollTop = ui.logBox.scrollHeight;
    return item;
  }

  function feedback(item) {
    // One control per answer: when a reply comes in several bubbles, only the last has it.
    var previous = ui.log.lastElementChild;
    var unused = previous && previous.classList.contains("cb-bot") &&
      previous.querySelector(".cb-unhelpful:not(:disabled)");
    if (unused) unused.parentNode.remove();
    var box = el("div", { class: "cb-feedback" });
    var button = el("button", { type: "button", class: "cb-unhelpful",
      "aria-label": "This answer was not helpful" }, "Not helpful");
    // Present (and empty) from the start, so screen readers announce the thanks when it appears.
    var status = el("p", { class: "cb-thanks", role: "status", tabindex: "-1" });
    button.addEventListener("click", function () {
      if (!chat || button.disabled) return;
      button.disabled = true;
      showError(null);
      api("/" + chat.id + "/feedback", { method: "POST", body: { message_id: item.dataset.id } })
        .then(function () {
          button.remove();
          status.textContent = "Thanks, we\u2019ll use this to improve.";
          status.focus();
        }).catch(function (err) { button.disabled = false; button.focus(); showError(err); });
    });
    box.appendChild(button);
    box.appendChild(status);
    return box;
  }

  function linkify(text) {
    // Markdown links [title](https://...) and bare http(s) URLs become links; the rest is text.
    var span = el("span", { class: "cb-text" });
    var pattern = /\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)|(https?:\/\/[^\s<>"]+|www\.[^\s<>"]+)/g;
    var last = 0, match;
    while ((match = pattern.exec(text)) !== null) {
      span.appendChild(document.createTextNode(text.slice(last, match.index)));
      var title = match[1], href = match[2] || match[3], trail = "";
      if (!title) {
        trail = (href.match(/[.,;:!?)]+$/) || [""])[0];
        href = href.slice(0, href.length - trail.length);
      }
      var link = el("a", { href: href.indexOf("www.") === 0 ? "https://" + href : href,
        target: "_blank", rel: "noopener noreferrer" }, title || href);
      link.appendChild(el("span", { class: "cb-visually-hidden" }, " (opens in a new tab)"));
      span.appendChild(link);
      span.appendChild(document.createTextNode(trail));
      last = match.index + match[0].length;
    }
    span.appendChild(document.createTextNode(text.slice(last)));
    return span;
  }

  function contactForm() {
    var form = el("form", { class: "cb-contact", "aria-label": "Your contact details" });
    [["name", "Your name", "name", "text"], ["phone", "Phone number", "tel", "tel"],
     ["email", "Email address", "email", "email"],
     ["best_time", "Best time to contact you (optional)", "off", "text"]].forEach(function (f) {
      var id = "cb-contact-" + f[0] + "-" + Math.random().toString(36).slice(2, 7);
      form.appendChild(el("label", { for: id }, f[1]));
      form.appendChild(el("input", { id: id, name: f[0], type: f[3], autocomplete: f[2] }));
    });
    form.appendChild(el("p", { class: "cb-hint" }, "Give a phone number or an email address."));
    form.appendChild(el("button", { type: "submit" }, "Send my details"));
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var body = {};
      Array.prototype.forEach.call(form.elements, function (input) {
        if (input.name) body[input.name] = input.value.trim();
      });
      api("/" + chat.id + "/contact", { method: "POST", body: body }).then(function (reply) {
        form.remove(); apply(reply); ui.input.focus();
      }).catch(showError);
    });
    return form;
  }

  function stream() {
    // fetch-based SSE, so the token travels in a header and Last-Event-ID resumes exactly.
    if (!chat || streamAbort || !window.ReadableStream) return;
    var controller = new AbortController();
    streamAbort = controller;
    fetch(BASE + "/api/conversations/" + chat.id + "/stream", {
      headers: { Authorization: "Bearer " + chat.token, "Last-Event-ID": String(lastId) },
      signal: controller.signal
    }).then(function (r) {
      if (r.status === 404) { forget(); return; }
      var reader = r.body.getReader(), decoder = new TextDecoder(), buffer = "";
      function pump() {
        return reader.read().then(function (chunk) {
          if (chunk.done) throw new Error("stream ended");
          buffer += decoder.decode(chunk.value, { stream: true });
          var events = buffer.split("\n\n"); buffer = events.pop();
          events.forEach(function (raw) {
            var data = raw.split("\n").filter(function (l) { return l.indexOf("data:") === 0; });
            if (!data.length) return;
            var event = JSON.parse(data.map(function (l) { return l.slice(5); }).join("\n"));
            render(event.message); setState(event.state);
          });
          return pump();
        });
      }
      return pump();
    }).catch(function () {}).then(function () {
      if (streamAbort !== controller) return;
      streamAbort = null;
      if (chat) setTimeout(stream, 2000);
    });
  }

  function forget() { chat = null; save(); }

  function endChat() {
    if (!chat) { toggle(false); return; }
    api("/" + chat.id + "/end", { method: "POST" }).then(apply).catch(showError);
  }

  function restart() {
    if (streamAbort) { var c = streamAbort; streamAbort = null; c.abort(); }
    forget(); seen.clear(); lastId = 0; ui.log.textContent = ""; setState("bot");
    ui.input.focus();
  }

  function downloadTranscript() {
    var lines = ["Anytown Borough Council chat transcript", new Date().toLocaleString("en-GB"), ""];
    Array.prototype.forEach.call(ui.log.children, function (li) {
      var who = li.querySelector(".cb-who"), text = li.querySelector(".cb-text");
      lines.push((who ? who.textContent : "") + (text ? text.textContent : ""));
    });
    var url = URL.createObjectURL(new Blob([lines.join("\n")], { type: "text/plain" }));
    var link = el("a", { href: url, download: "anytown-chat-transcript.txt" });
    document.body.appendChild(link); link.click(); link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }

  function showError(err) {
    ui.error.textContent = err ? err.message : "";
    if (err && err.status === 404) forget();
  }

  function restore() {
    if (!chat) return;
    api("/" + chat.id + "/messages?after=0").then(function (body) {
      apply(body);
      stream();
      if (chat && chat.open) toggle(true);
    }).catch(function (err) { if (err.status === 404 || err.status === 401) forget(); });
  }

  build();
  restore();
  window.councilbotWidget = { open: function () { toggle(true); } };
})();
