/* Content studio: live answer preview and publish progress. Pages work without it. */
(function () {
  "use strict";
  var main = document.getElementById("main");
  var csrf = main && main.dataset.csrf;

  function previewAnswers() {
    var answer = document.getElementById("answer");
    var box = document.getElementById("preview");
    if (!answer || !box) return;
    var timer = null;
    answer.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var body = new URLSearchParams({ answer: answer.value });
        fetch("/content/preview", { method: "POST", body: body, credentials: "same-origin",
          headers: { Accept: "application/json", "X-CSRF-Token": csrf } })
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (data) {
            if (!data) return;
            box.innerHTML = data.html;  // escaped by the server; only links are markup
            document.getElementById("preview-words").textContent = data.words + " words";
          });
      }, 400);
    });
  }

  function followPublish() {
    var section = document.getElementById("progress");
    if (!section || section.dataset.running !== "true") return;
    var poll = setInterval(function () {
      fetch("/content/publish.json", { credentials: "same-origin",
        headers: { Accept: "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          var job = data.job;
          if (!job) return;
          var list = document.getElementById("stages");
          list.replaceChildren();
          job.stages.forEach(function (s) {
            var item = document.createElement("li");
            item.textContent = s.title + ": " + s.status + (s.detail ? " – " + s.detail : "");
            list.appendChild(item);
          });
          document.getElementById("job-status").textContent = job.status;
          if (job.status !== "running") { clearInterval(poll); location.reload(); }
        });
    }, 2000);
  }

  previewAnswers();
  followPublish();
})();
