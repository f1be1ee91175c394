/* Anytown Borough Council chat widget: one <script src=".../static/widget.js" defer> tag.
   Plain DOM, no build step. This file holds the conversation's state and talks to the gateway;
   widget-panel.js builds the DOM and widget-text.js renders server text, only ever as text. */
(function () {
  "use strict";
  if (window.councilbotWidget) return;
  var script = document.currentScript;
  var BASE = new URL(script ? script.src : "/static/widget.js", location.href).origin;
  var STORE = "councilbot.chat";
  // The widget's part of the time budget (bot/settings.py): longer than the gateway waits for
  // Rasa, so the gateway's own answer (or apology) normally arrives first.
  var WAIT_MS = 40000;
  var SLOW = "This is taking longer than usual. Your message has been kept and the answer " +
    "will appear here.";
  var HUMAN = { payload: "/request_human", text: "Talk to a person" };
  var STATES = { waiting_for_staff: "Waiting for a person", with_staff: "Talking to council staff",
    closed: "Chat ended" };
  var seen = new Set();
  var chat = load();
  var state = "bot";
  var ui = {};
  var streamAbort = null;
  var streamFailures = 0;  // stream attempts in a row that the gateway did not accept
  var lastId = 0;
  var startingAfter = null;  // while Rasa loads: the id after which its answer will arrive
  var pinned = true;  // the log follows the newest message unless the resident scrolled up
  var announcements = [];
  var welcoming = false;  // a welcome request (or its retry) is under way
  var P, el;  // widget-panel.js and its element helper, once loaded

  function load() {
    try { return JSON.parse(sessionStorage.getItem(STORE)) || null; } catch (e) { return null; }
  }
  function save() {
    if (chat) sessionStorage.setItem(STORE, JSON.stringify(chat));
    else sessionStorage.removeItem(STORE);
  }

  function build() {
    ui = P.build(BASE, {
      open: function () { toggle(true); },
      close: function () { toggle(false); },
      human: function () { ui.setMenu(false); choose(HUMAN.text, HUMAN.payload); },
      download: function () { ui.setMenu(false); P.saveTranscript(ui.log); },
      end: function () { ui.setMenu(false); endChat(); },
      restart: restart
    });
    ui.panel.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && ui.menu.hidden) toggle(false);
    });
    ui.form.addEventListener("submit", function (e) { e.preventDefault(); sendTyped(); });
    ui.input.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); sendTyped(); }
    });
    ui.input.addEventListener("input", grow);
    ui.logBox.addEventListener("scroll", function () {
      pinned = ui.logBox.scrollHeight - ui.logBox.scrollTop - ui.logBox.clientHeight < 24;
    });
    if (window.ResizeObserver) new ResizeObserver(follow).observe(ui.log);
    if (window.visualViewport) window.visualViewport.addEventListener("resize", fitViewport);
  }

  function toggle(open) {
    ui.panel.hidden = !open;
    ui.launcher.hidden = open;
    ui.launcher.setAttribute("aria-expanded", String(open));
    if (chat) { chat.open = open; save(); }
    if (open) { fitViewport(); welcome(); ui.input.focus(); follow(true); }
    else { ui.setMenu(false); ui.launcher.focus(); }
  }

  function fitViewport() {
    // On a phone the chat fills the visible screen, above the on-screen keyboard.
    var full = window.matchMedia("(max-width: 40rem), (max-height: 30rem)").matches;
    var vv = window.visualViewport;
    ui.panel.style.height = full && vv ? vv.height + "px" : "";
    ui.panel.style.top = full && vv ? vv.offsetTop + "px" : "";
    follow();
  }

  function follow(force) {
    if (force === true) pinned = true;
    if (pinned) ui.logBox.scrollTop = ui.logBox.scrollHeight;
  }

  function grow() {
    ui.input.style.height = "";
    ui.input.style.height = Math.min(ui.input.scrollHeight + 4, 128) + "px";
  }

  function api(path, options) {
    options = options || {};
    var headers = { "Content-Type": "application/json" };
    if (chat) headers.Authorization = "Bearer " + chat.token;
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, WAIT_MS);
    return fetch(BASE + "/api/conversations" + path, {
      method: options.method || "GET", headers: headers, signal: controller.signal,
      body: options.body ? JSON.stringify(options.body) : undefined
    }).catch(function (err) {
      // The answer still comes over the stream: the gateway stored the message first.
      if (err.name === "AbortError") { err = new Error(SLOW); err.status = 0; }
      throw err;
    }).finally(function () { clearTimeout(timer); }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) {
        if (!r.ok) { var err = new Error((body.error || {}).message || "Something went wrong.");
          err.status = r.status; throw err; }
        return body;
      });
    });
  }

  function welcome() {
    // The assistant's own greeting and suggestions; while it starts, a holding line, retried.
    if (welcoming || (ui.welcome && !ui.welcome.dataset.starting)) return;
    welcoming = true;
    var again = function (ms) { setTimeout(function () { welcoming = false; welcome(); }, ms); };
    api("/welcome").then(function (body) {
      var item = P.message({ sender: "bot", text: body.text, buttons: body.buttons || [] }, choose);
      item.classList.add("cb-welcome");
      if (body.assistant === "starting") {
        item.dataset.starting = "1";
        again(3000);
      } else welcoming = false;
      if (ui.welcome) ui.log.replaceChild(item, ui.welcome);
      else { ui.log.insertBefore(item, ui.log.firstChild); announce(P.line(item)); }
      ui.welcome = item;
      if (body.privacy && body.privacy.url && !ui.privacy) ui.privacy = P.privacy(ui.intro, body.privacy);
      follow();
    }).catch(function () { again(5000); });
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
    ui.input.value = ""; grow();
    send(text, null);
  }

  function choose(text, payload) { send(text, payload); ui.input.focus(); }

  function send(text, payload) {
    showError(null);
    var mine = render({ id: null, sender: "resident", text: text, buttons: [] });
    follow(true);
    if (state === "bot" && startingAfter === null) working("The assistant is typing\u2026");
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
    }).then(function () { if (startingAfter === null) working(""); });
  }

  function working(text) { ui.typing.textContent = text; follow(); }

  function apply(body) {
    (body.messages || []).forEach(render);
    if (body.state) setState(body.state);
    if (body.assistant === "starting") {
      startingAfter = lastId;
      working("Waiting for the assistant to start\u2026");
    }
  }

  function setState(next) {
    state = next;
    ui.human.disabled = next !== "bot";
    ui.human.textContent = next === "bot" ? HUMAN.text : STATES[next] || HUMAN.text;
    ui.state.textContent = STATES[next] || "";
    var closed = next === "closed";
    ui.form.hidden = closed; ui.end.hidden = closed; ui.restart.hidden = !closed;
    if (closed) askRating();
  }

  function askRating() {
    // Once per chat, when it has ended (resolved by the assistant, by staff, or the resident).
    if (!chat || chat.rated || ui.rating || !window.councilbotRating) return;
    ui.rating = el("li", { class: "cb-msg cb-system" });
    ui.rating.appendChild(window.councilbotRating.ratingForm(el, function (score, comment, form) {
      if (!score) { showError(new Error("Choose a rating first.")); return; }
      api("/" + chat.id + "/rating", { method: "POST", body: { score: score, comment: comment } })
        .catch(function (err) { if (err.status !== 409) throw err; })
        .then(function () {
          chat.rated = true; save();
          var thanks = el("p", { role: "status", tabindex: "-1" }, "Thank you for your rating.");
          form.replaceWith(thanks); thanks.focus();
        }).catch(showError);
    }));
    ui.log.appendChild(ui.rating);
    follow();
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
    var item = P.message(m, choose);
    if (m.id) item.dataset.id = m.id; else { item.dataset.pending = "1"; item.dataset.text = m.text; }
    if (m.form === "contact") item.appendChild(P.contactForm(sendContact));
    if (m.sender === "bot" && m.id && isAnswer(m)) item.appendChild(feedback(item));
    ui.log.appendChild(item);
    if (m.sender !== "resident") {
      if (startingAfter !== null && Number(m.id) > startingAfter) { startingAfter = null; working(""); }
      announce(P.line(item));
    }
    follow();
    return item;
  }

  function isAnswer(m) {
    // Questions ("Which address? You can also type the house name.") are not answers to rate.
    var text = (m.text || "").trim();
    return text.length > 0 && !/\?(\s|$)/.test(text);
  }

  function announce(text) {
    // Queued, so several bubbles of one reply are read once, in order, not the whole log.
    announcements.push(text);
    if (announcements.length > 1) return;
    setTimeout(function () {
      ui.announce.textContent = announcements.join(" \n");
      announcements = [];
    }, 150);
  }



  function feedback(item) {
    // One control per reply: when a reply comes in several bubbles, only the last answer has it.
    var previous = ui.log.lastElementChild;
    while (previous && previous.classList.contains("cb-bot")) {
      var unused = previous.querySelector(".cb-unhelpful:not(:disabled)");
      if (unused) { unused.parentNode.remove(); break; }
      previous = previous.previousElementSibling;
    }
    return P.feedbackControl(function (control, status) {
      if (!chat) return;
      control.disabled = true;
      showError(null);
      api("/" + chat.id + "/feedback", { method: "POST", body: { message_id: item.dataset.id } })
        .then(function () {
          control.remove();
          status.textContent = "Thanks, we\u2019ll use this to improve.";
          status.focus();
        }).catch(function (err) { control.disabled = false; control.focus(); showError(err); });
    });
  }

  function sendContact(body, form) {
    api("/" + chat.id + "/contact", { method: "POST", body: body }).then(function (reply) {
      form.remove(); apply(reply); ui.input.focus();
    }).catch(showError);
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
      if (!r.ok) throw new Error("stream refused");
      streamFailures = 0;
      var reader = r.body.getReader(), decoder = new TextDecoder(), buffer = "";
      function pump() {
        return reader.read().then(function (chunk) {
          if (chunk.done) throw new Error("stream ended");
          buffer += decoder.decode(chunk.value, { stream: true });
          var events = buffer.split("\n\n"); buffer = events.pop();
          events.forEach(function (text) {
            var data = text.split("\n").filter(function (l) { return l.indexOf("data:") === 0; });
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
      if (chat) setTimeout(stream, reconnectDelay(streamFailures++));
    });
  }

  function reconnectDelay(failures) {
    // Exponential backoff with full jitter, so widgets whose gateway restarted do not all
    // come back in the same second: 1 s, 2 s, 4 s... up to 30 s, each a random part of it.
    var ceiling = Math.min(30000, 1000 * Math.pow(2, failures));
    return 500 + Math.random() * ceiling;
  }

  function forget() { chat = null; save(); }

  function endChat() {
    if (!chat) { toggle(false); return; }
    api("/" + chat.id + "/end", { method: "POST" }).then(apply).then(function () {
      ui.restart.focus();
    }).catch(showError);
  }

  function restart() {
    if (streamAbort) { var c = streamAbort; streamAbort = null; c.abort(); }
    forget(); seen.clear(); lastId = 0; startingAfter = null; working("");
    if (ui.rating) { ui.rating.remove(); ui.rating = null; }
    Array.prototype.slice.call(ui.log.children).forEach(function (li) {
      if (li !== ui.welcome) li.remove();
    });
    setState("bot");
    ui.input.focus();
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

  function start() {
    build();
    restore();
    window.councilbotWidget = { open: function () { toggle(true); } };
  }

  // The helper files load in parallel; the widget starts once all are there.
  var parts = [["councilbotText", "widget-text.js"], ["councilbotPanel", "widget-panel.js"],
    ["councilbotRating", "widget-rating.js"]];
  var waiting = parts.length;
  function loaded() {
    if (--waiting) return;
    P = window.councilbotPanel; el = P.el;
    start();
  }
  parts.forEach(function (part) {
    if (window[part[0]]) { loaded(); return; }
    var tag = document.createElement("script");
    tag.src = BASE + "/static/" + part[1];
    tag.addEventListener("load", loaded);
    document.head.appendChild(tag);
  });
})();
