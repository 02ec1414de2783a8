/* Recording a finding on a phone with a poor connection (inspections/finding_edit.html).
 *
 * - What the supervisor types is kept in localStorage, so a reload or a lost page loses
 *   nothing; it is forgotten once the server has saved it (?saved=1) or the finding was
 *   submitted (?forget=<id> on the next page).
 * - Each photo, video or recording is uploaded on its own to the draft finding (XHR, with
 *   progress). Files waiting to go up are kept in IndexedDB, so they survive a reload; a
 *   failed upload is retried (three times, then by a button) without retyping anything.
 *   Every file carries a client key: a retry of an upload that did arrive is not stored twice.
 * - Submitting waits until every file is up.
 * Without this script the form still works: the files go up with the form.
 */
(function () {
  "use strict";

  var PREFIX = "xn-finding-";
  var MAX_AGE = 7 * 24 * 3600 * 1000;

  function forgetSubmitted() {
    var match = /[?&]forget=(\d+)/.exec(window.location.search);
    if (match) {
      try { window.localStorage.removeItem(PREFIX + match[1]); } catch (e) { /* storage unavailable */ }
    }
    try {
      for (var i = window.localStorage.length - 1; i >= 0; i--) {
        var key = window.localStorage.key(i);
        if (key && key.indexOf(PREFIX) === 0) {
          var entry = JSON.parse(window.localStorage.getItem(key) || "{}");
          if (!entry.at || Date.now() - entry.at > MAX_AGE) { window.localStorage.removeItem(key); }
        }
      }
    } catch (e) { /* storage unavailable or corrupt: nothing to clean */ }
  }

  function format(template) {
    var args = Array.prototype.slice.call(arguments, 1);
    return template.replace(/%s/g, function () { return String(args.shift()); });
  }

  function megabytes(bytes) { return (bytes / 1048576).toFixed(1) + " MB"; }

  function newKey() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    return "k" + Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  // --- IndexedDB: files waiting to be uploaded ------------------------------------------------
  var DB_NAME = "xn-evidence";
  var STORE = "pending";

  function openDb() {
    return new Promise(function (resolve) {
      if (!window.indexedDB) { resolve(null); return; }
      var request;
      try { request = window.indexedDB.open(DB_NAME, 1); } catch (e) { resolve(null); return; }
      request.onupgradeneeded = function () {
        var store = request.result.createObjectStore(STORE, { keyPath: "key" });
        store.createIndex("finding", "finding");
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { resolve(null); };
    });
  }

  function withStore(db, mode, work) {
    return new Promise(function (resolve) {
      if (!db) { resolve(null); return; }
      try {
        var tx = db.transaction(STORE, mode);
        var result = work(tx.objectStore(STORE));
        tx.oncomplete = function () { resolve(result && result.result !== undefined ? result.result : null); };
        tx.onerror = function () { resolve(null); };
      } catch (e) { resolve(null); }
    });
  }

  function init(form) {
    var findingId = form.getAttribute("data-finding");
    var uploadUrl = form.getAttribute("data-upload-url");
    var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    var list = document.getElementById("evidence-list");
    var queue = document.getElementById("upload-queue");
    var status = document.getElementById("form-status");
    var storeKey = PREFIX + findingId;
    var msg = function (name) { return form.getAttribute("data-msg-" + name) || ""; };
    var limits = {
      image: +form.getAttribute("data-limit-image"),
      video: +form.getAttribute("data-limit-video"),
      audio: +form.getAttribute("data-limit-audio")
    };
    var pending = 0;
    var dbReady = openDb();

    // --- typed text, kept in the browser -----------------------------------------------------
    var fields = Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.type !== "file" && el.type !== "hidden" && el.type !== "submit" && el.name !== "csrfmiddlewaretoken";
    });
    function keep() {
      var values = {};
      fields.forEach(function (el) { values[el.name] = el.value; });
      try { window.localStorage.setItem(storeKey, JSON.stringify({ at: Date.now(), values: values })); } catch (e) { /* full or private */ }
    }
    var saved = null;
    try { saved = JSON.parse(window.localStorage.getItem(storeKey) || "null"); } catch (e) { saved = null; }
    var boundWithErrors = !!form.querySelector(".invalid-feedback, [data-testid=form-errors]");
    if (form.getAttribute("data-just-saved") === "1") {
      try { window.localStorage.removeItem(storeKey); } catch (e) { /* nothing kept */ }
    } else if (saved && saved.values && !boundWithErrors) {
      var changed = false;
      fields.forEach(function (el) {
        if (Object.prototype.hasOwnProperty.call(saved.values, el.name) && el.value !== saved.values[el.name]) {
          el.value = saved.values[el.name];
          changed = true;
        }
      });
      if (changed) { status.textContent = msg("restored"); }
    }
    fields.forEach(function (el) {
      el.addEventListener("input", keep);
      el.addEventListener("change", keep);
    });

    // --- the upload queue ------------------------------------------------------------------
    function kindOf(type) {
      if (type.indexOf("image/") === 0) { return "image"; }
      if (type.indexOf("video/") === 0) { return "video"; }
      if (type.indexOf("audio/") === 0) { return "audio"; }
      return "";
    }

    function row(item) {
      var li = document.createElement("li");
      li.className = "xn-upload-row";
      li.setAttribute("data-testid", "upload-row");
      var name = document.createElement("span");
      name.className = "xn-upload-name";
      name.textContent = item.name + " · " + megabytes(item.size);
      var bar = document.createElement("progress");
      bar.max = 100;
      bar.value = 0;
      var state = document.createElement("span");
      state.className = "xn-upload-state small";
      li.appendChild(name);
      li.appendChild(bar);
      li.appendChild(state);
      queue.appendChild(li);
      return { li: li, bar: bar, state: state };
    }

    function button(label, onClick) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "btn btn-sm btn-outline-primary ms-2";
      b.textContent = label;
      b.addEventListener("click", onClick);
      return b;
    }

    function showEvidence(data) {
      var figure = document.createElement("figure");
      figure.className = "xn-evidence";
      figure.setAttribute("data-testid", "evidence");
      figure.setAttribute("data-evidence", data.id);
      var media;
      if (data.kind === "image") {
        media = document.createElement("img");
        media.alt = msg("photo");
      } else {
        media = document.createElement(data.kind === "video" ? "video" : "audio");
        media.controls = true;
        media.preload = "metadata";
      }
      media.src = data.url;
      var caption = document.createElement("figcaption");
      caption.className = "small xn-muted";
      caption.textContent = megabytes(data.size) + " ";
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "btn btn-link btn-sm p-0 text-danger";
      remove.textContent = msg("delete");
      remove.setAttribute("data-delete-url", data.delete_url);
      caption.appendChild(remove);
      figure.appendChild(media);
      figure.appendChild(caption);
      list.appendChild(figure);
    }

    function forget(item) {
      dbReady.then(function (db) { return withStore(db, "readwrite", function (store) { return store.delete(item.key); }); });
    }

    function upload(item, ui, attempt) {
      pending += 1;
      ui.state.textContent = msg("uploading");
      ui.bar.value = 0;
      Array.prototype.forEach.call(ui.li.querySelectorAll("button"), function (b) { b.remove(); });
      var body = new FormData();
      body.append("file", item.blob, item.name);
      body.append("client_key", item.key);
      if (item.lastModified) { body.append("captured_at", new Date(item.lastModified).toISOString()); }
      var xhr = new XMLHttpRequest();
      xhr.open("POST", uploadUrl);
      xhr.setRequestHeader("X-CSRFToken", csrf);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.timeout = 10 * 60 * 1000;
      xhr.upload.onprogress = function (event) {
        if (event.lengthComputable) { ui.bar.value = Math.round((event.loaded * 100) / event.total); }
      };
      function failed(permanent, text) {
        pending -= 1;
        if (permanent) {
          // the server refused the file itself (type, size): retrying cannot help
          ui.li.classList.add("text-danger");
          ui.state.textContent = text;
          forget(item);
          ui.li.appendChild(button(msg("remove"), function () { ui.li.remove(); }));
          return;
        }
        if (attempt < 3) {
          ui.state.textContent = msg("retrying");
          window.setTimeout(function () { upload(item, ui, attempt + 1); }, 2000 * attempt);
          return;
        }
        ui.state.textContent = msg("failed");
        ui.li.appendChild(button(msg("retry"), function () { upload(item, ui, 1); }));
        ui.li.appendChild(button(msg("remove"), function () { forget(item); ui.li.remove(); }));
      }
      xhr.onload = function () {
        var data = {};
        try { data = JSON.parse(xhr.responseText || "{}"); } catch (e) { data = {}; }
        if (xhr.status === 201 || xhr.status === 200) {
          pending -= 1;
          forget(item);
          ui.li.remove();
          if (!list.querySelector("[data-evidence='" + data.id + "']")) { showEvidence(data); }
          return;
        }
        if (xhr.status === 400) { failed(true, data.error || msg("failed")); return; }
        if (xhr.status === 403 || xhr.status === 404) { failed(true, msg("closed")); return; }
        failed(false);
      };
      xhr.onerror = function () { failed(false); };
      xhr.ontimeout = function () { failed(false); };
      xhr.send(body);
    }

    function enqueue(file) {
      var kind = kindOf(file.type || "");
      var item = {
        key: newKey(),
        finding: findingId,
        blob: file,
        name: file.name || "evidence",
        size: file.size,
        type: file.type,
        lastModified: file.lastModified
      };
      var ui = row(item);
      if (kind && limits[kind] && file.size > limits[kind]) {
        ui.li.classList.add("text-danger");
        ui.state.textContent = format(msg("too-big"), megabytes(file.size), msg("kind-" + kind), megabytes(limits[kind]));
        ui.li.appendChild(button(msg("remove"), function () { ui.li.remove(); }));
        return;
      }
      dbReady.then(function (db) {
        return withStore(db, "readwrite", function (store) { return store.put(item); });
      }).then(function () { upload(item, ui, 1); });
    }

    Array.prototype.forEach.call(form.querySelectorAll("input[data-evidence-input]"), function (input) {
      input.removeAttribute("name"); // the script uploads them; the form must not send them again
      input.addEventListener("change", function () {
        Array.prototype.forEach.call(input.files, enqueue);
        input.value = "";
      });
    });

    // files left from a reload or a lost connection go up again
    dbReady.then(function (db) {
      return withStore(db, "readonly", function (store) { return store.index("finding").getAll(findingId); });
    }).then(function (items) {
      if (items && items.length) {
        status.textContent = format(msg("resumed"), items.length);
        items.forEach(function (item) { upload(item, row(item), 1); });
      }
    });

    // deleting a file not yet submitted
    list.addEventListener("click", function (event) {
      var target = event.target;
      if (!target || !target.getAttribute || !target.getAttribute("data-delete-url")) { return; }
      event.preventDefault();
      if (!window.confirm(msg("confirm-delete"))) { return; }
      var xhr = new XMLHttpRequest();
      xhr.open("POST", target.getAttribute("data-delete-url"));
      xhr.setRequestHeader("X-CSRFToken", csrf);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.onload = function () {
        if (xhr.status === 200) {
          var figure = target.closest("figure");
          if (figure) { figure.remove(); }
        } else {
          var data = {};
          try { data = JSON.parse(xhr.responseText || "{}"); } catch (e) { data = {}; }
          status.textContent = data.error || msg("failed");
        }
      };
      xhr.onerror = function () { status.textContent = msg("failed"); };
      xhr.send();
    });

    form.addEventListener("submit", function (event) {
      var open = queue.querySelectorAll(".xn-upload-row:not(.text-danger)").length;
      if (pending > 0 || open > 0) {
        event.preventDefault();
        status.textContent = format(msg("pending"), Math.max(pending, open));
        status.classList.add("text-danger");
        return;
      }
      keep();
    });
  }

  function onReady(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  onReady(function () {
    forgetSubmitted();
    var form = document.getElementById("finding-form");
    if (form) { init(form); }
  });
})();
