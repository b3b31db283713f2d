"use strict";
// Renders the class page from its data: the script tag "data" in a page
// written once, /status.json again after each sweep in watch mode.
(function () {
  var SYM = { pass: "\u2713", fail: "\u2717", unknown: "?", error: "!" };
  var WORD = { pass: "pass", fail: "fail", unknown: "unknown", error: "not checked" };
  var data = JSON.parse(document.getElementById("data").textContent);
  var $ = function (id) { return document.getElementById(id); };
  function esc(s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function cellStatus(a, col) {
    if (a.error) return "error";
    for (var i = 0; i < a.cells.length; i++) if (a.cells[i].column === col) return a.cells[i].status;
    return "error";
  }
  function passing(a) {
    var n = 0;
    data.columns.forEach(function (c) { if (cellStatus(a, c.id) === "pass") n++; });
    return n;
  }
  function minutesSince(t) { return Math.floor((Date.now() - Date.parse(t)) / 60000); }
  function stuck(a) {
    // "No progress for N minutes": only while a class is watched, only for
    // an account that still has work, after two sweep intervals.
    if (!data.watch || !a.progressAt || a.status === "pass") return 0;
    var m = minutesSince(a.progressAt);
    return m * 60 >= 2 * data.watch.every && m >= 1 ? m : 0;
  }
  function failures(a) {
    if (a.error) return ["not checked: " + a.error];
    var out = [];
    a.cells.forEach(function (c) {
      (c.failures || []).forEach(function (f) {
        out.push(c.column + ": " + (f.status === "fail" ? "" : f.status + " ") + f.check + ": " + f.detail + (f.hint ? ". Hint: " + f.hint : ""));
      });
    });
    return out;
  }
  function title(col) {
    for (var i = 0; i < data.columns.length; i++) if (data.columns[i].id === col) return data.columns[i].title;
    return col;
  }
  // A column's short label: "task 3" by hand (its title, the guide's
  // heading, goes in a tooltip), the check group's name when deployed.
  function label(col) {
    for (var i = 0; i < data.columns.length; i++) {
      if (data.columns[i].id === col) return data.mode === "by-hand" ? "task " + (i + 1) : data.columns[i].title;
    }
    return col;
  }
  // The roster's name for an account, "" without one.
  function student(a) { return a && a.student ? a.student.name : ""; }
  // An account as the page names it: its stack, and its student's name
  // when a roster gave one.
  function who(a) { return a.stack + (student(a) ? " (" + student(a) + ")" : ""); }

  function renderHead() {
    $("title").textContent = "Class " + data.class + ": " + (data.mode === "by-hand" ? "lab done by hand" : "deployed lab");
    var done = data.accounts.filter(function (a) { return a.status === "pass"; }).length;
    var meta = "Checked <time id=\"generated\" datetime=\"" + esc(data.generatedAt) + "\">" +
      esc(data.generatedAt.replace("T", " ").replace("Z", " UTC")) + "</time> \u00b7 <span id=\"complete\">" +
      done + " of " + data.accounts.length + " accounts pass</span>";
    if (data.watch) {
      meta += " \u00b7 <span id=\"sweep\">" + (data.watch.running ?
        "sweep " + (data.watch.sweeps + 1) + ": " + data.watch.running.done + "/" + data.watch.running.of + " accounts checked" :
        data.watch.sweeps + " sweeps, one every " + data.watch.every + " s") + "</span>";
    }
    $("meta").innerHTML = meta;
  }

  function renderTotals() {
    var h = "<caption class=\"meta\">Accounts per task</caption><thead><tr><th scope=\"col\">task</th>";
    var rows = { pass: "", fail: "", unknown: "" };
    data.columns.forEach(function (c) {
      h += "<th scope=\"col\" data-column=\"" + esc(c.id) + "\" title=\"" + esc(c.title) + "\">" + esc(label(c.id)) + "</th>";
      rows.pass += "<td class=\"pass\" data-column=\"" + esc(c.id) + "\">" + c.pass + "</td>";
      rows.fail += "<td class=\"fail\" data-column=\"" + esc(c.id) + "\">" + c.fail + "</td>";
      rows.unknown += "<td class=\"unknown\" data-column=\"" + esc(c.id) + "\">" + c.unknown + "</td>";
    });
    h += "</tr></thead><tbody>";
    ["pass", "fail", "unknown"].forEach(function (s) {
      h += "<tr data-status=\"" + s + "\"><th scope=\"row\">" + SYM[s] + " " + s + "</th>" + rows[s] + "</tr>";
    });
    $("totals").innerHTML = h + "</tbody>";
  }

  function renderOverview() {
    var h = "";
    data.accounts.forEach(function (a, i) {
      var cells = "", text = a.stack + " (" + (student(a) ? student(a) + ", " : "") + a.account + "): ";
      var parts = [];
      data.columns.forEach(function (c) {
        var s = cellStatus(a, c.id);
        cells += "<i class=\"" + s + "\" data-column=\"" + esc(c.id) + "\">" + SYM[s] + "</i>";
        parts.push(label(c.id) + " " + WORD[s]);
      });
      var m = stuck(a);
      text += a.error ? "not checked" : parts.join(", ");
      if (m) text += ", no progress for " + m + " minutes";
      if (a.stale) text += ", stale result";
      h += "<button type=\"button\" class=\"tile" + (a.stale ? " stale" : "") + "\" data-i=\"" + i + "\" data-stack=\"" + esc(a.stack) +
        "\" data-status=\"" + esc(a.status) + "\" aria-label=\"" + esc(text) + "\"><span class=\"n\">" +
        (m ? "<span class=\"np\" title=\"no progress for " + m + " minutes\">\u29d7</span>" : "") + esc(a.short || a.stack) +
        (student(a) ? " <span class=\"who\">" + esc(student(a)) + "</span>" : "") + "</span>" + cells + "</button>";
    });
    $("overview").innerHTML = h;
  }

  function renderCauses() {
    if (!data.causes.length) { $("causes").innerHTML = "<li>No failures.</li>"; return; }
    var h = "", byStack = {};
    data.accounts.forEach(function (a) { byStack[a.stack] = a; });
    data.causes.forEach(function (c) {
      h += "<li data-cause=\"" + esc(c.key) + "\"><span class=\"" + esc(c.status) + "\">" + SYM[c.status] + "</span> <b>" + esc(c.label) + "</b> \u2014 <span class=\"count\">" + c.count +
        "</span> account" + (c.count === 1 ? "" : "s") + " (<span title=\"" + esc(title(c.column)) + "\">" + esc(label(c.column)) + "</span>)" +
        (c.hint ? "<div class=\"det\">Hint: " + esc(c.hint) + "</div>" : "") +
        "<details><summary class=\"who\">which accounts</summary><div class=\"who\">" + esc(c.stacks.map(function (s) { return who(byStack[s] || { stack: s }); }).join(", ")) + "</div></details></li>";
    });
    $("causes").innerHTML = h;
  }

  var state = { sort: "stack", failing: false, task: "", open: {} };

  function renderTable() {
    var head = "<tr><th scope=\"col\">stack</th><th scope=\"col\">account</th><th scope=\"col\">progress</th>";
    data.columns.forEach(function (c) { head += "<th scope=\"col\" data-column=\"" + esc(c.id) + "\" title=\"" + esc(c.title) + "\">" + esc(c.id) + "</th>"; });
    head += (data.watch ? "<th scope=\"col\">checked</th>" : "") + "<th scope=\"col\">details</th></tr>";
    $("grid").tHead.innerHTML = head;
    var idx = data.accounts.map(function (_, i) { return i; });
    if (state.sort === "progress") {
      idx.sort(function (x, y) {
        var d = passing(data.accounts[x]) - passing(data.accounts[y]);
        return d || (data.accounts[x].stack < data.accounts[y].stack ? -1 : 1);
      });
    }
    var body = "";
    idx.forEach(function (i) {
      var a = data.accounts[i];
      var hide = (state.failing && a.status === "pass") || (state.task && cellStatus(a, state.task) === "pass");
      var m = stuck(a);
      body += "<tr id=\"row-" + i + "\" data-stack=\"" + esc(a.stack) + "\" data-status=\"" + esc(a.status) + "\"" + (hide ? " hidden" : "") +
        (a.stale ? " class=\"stale\"" : "") + "><th scope=\"row\">" + esc(a.stack) + (student(a) ? "<br><small class=\"student\">" + esc(student(a)) + "</small>" : "") + "</th><td>" + esc(a.account) + " <small>" + esc(a.region) + "</small></td>" +
        "<td class=\"progress\">" + (a.error ? "not checked" : passing(a) + "/" + data.columns.length) + (m ? " \u00b7 no progress for " + m + " min" : "") + "</td>";
      data.columns.forEach(function (c) {
        var s = cellStatus(a, c.id);
        body += "<td class=\"c " + s + "\" data-column=\"" + esc(c.id) + "\" aria-label=\"" + esc(c.id + " " + WORD[s]) + "\">" + SYM[s] + "</td>";
      });
      if (data.watch) body += "<td>" + (a.checkedAt ? esc(a.checkedAt.substr(11, 8)) : "") + (a.stale ? " (stale)" : "") + "</td>";
      var f = failures(a);
      body += "<td>" + (f.length ? "<details" + (state.open[a.stack] ? " open" : "") + " data-stack=\"" + esc(a.stack) + "\"><summary>" + f.length +
        " problem" + (f.length === 1 ? "" : "s") + "</summary>" + f.map(function (d) { return "<div class=\"det\">" + esc(d) + "</div>"; }).join("") + "</details>" : "") + "</td></tr>";
    });
    $("grid").tBodies[0].innerHTML = body;
  }

  function renderAll() { renderHead(); renderTotals(); renderOverview(); renderCauses(); renderTable(); }

  var opts = "<option value=\"\">any task</option>";
  data.columns.forEach(function (c) { opts += "<option value=\"" + esc(c.id) + "\">not passing " + esc(c.title) + "</option>"; });
  $("task-filter").innerHTML = opts;
  $("failing-only").addEventListener("change", function (e) { state.failing = e.target.checked; renderTable(); });
  $("task-filter").addEventListener("change", function (e) { state.task = e.target.value; renderTable(); });
  $("sort").addEventListener("change", function (e) { state.sort = e.target.value; renderTable(); });
  $("grid").addEventListener("toggle", function (e) {
    var s = e.target.getAttribute && e.target.getAttribute("data-stack");
    if (s) state.open[s] = e.target.open;
  }, true);

  var tip = $("tip");
  function showTip(el) {
    var a = data.accounts[+el.getAttribute("data-i")];
    if (!a) return;
    var f = failures(a);
    tip.innerHTML = "<b>" + esc(who(a)) + "</b> " + esc(a.account) + (f.length ? f.map(function (d) { return "<div>" + esc(d) + "</div>"; }).join("") : "<div>every task passes</div>");
    var r = el.getBoundingClientRect();
    tip.style.left = Math.min(r.left, window.innerWidth - 540) + "px";
    tip.style.top = (r.bottom + 4) + "px";
    tip.hidden = false;
  }
  var ov = $("overview");
  ["mouseover", "focusin"].forEach(function (ev) {
    ov.addEventListener(ev, function (e) { var t = e.target.closest(".tile"); if (t) showTip(t); });
  });
  ["mouseout", "focusout"].forEach(function (ev) { ov.addEventListener(ev, function () { tip.hidden = true; }); });
  ov.addEventListener("click", function (e) {
    var t = e.target.closest(".tile");
    if (!t) return;
    var a = data.accounts[+t.getAttribute("data-i")];
    state.open[a.stack] = true;
    state.failing = false; state.task = "";
    $("failing-only").checked = false; $("task-filter").value = "";
    renderTable();
    var row = $("row-" + t.getAttribute("data-i"));
    row.scrollIntoView({ block: "center" });
    var d = row.querySelector("details");
    (d ? d.querySelector("summary") : row.querySelector("th")).focus();
  });

  renderAll();

  // Watch mode: ask the server for the latest sweep, a few times per
  // interval, and redraw in place when it changed.
  if (data.watch && location.protocol.indexOf("http") === 0) {
    var last = "";
    var poll = function () {
      fetch("status.json" + location.search, { cache: "no-store", credentials: "same-origin" })
        .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.text(); })
        .then(function (t) {
          if (t !== last) { last = t; data = JSON.parse(t); renderAll(); }
          $("conn").textContent = "";
        })
        .catch(function (e) { $("conn").textContent = "cannot reach labctl class watch: " + e.message; })
        .finally(function () { setTimeout(poll, Math.min(5000, Math.max(1000, data.watch.every * 250))); });
    };
    setTimeout(poll, 1000);
  }
})();
