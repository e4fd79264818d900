// TaskFlow dashboard: keeps pages live without a reload. A page's live region (#live) names the URL of its own content
// (data-live-src) and a Server-Sent Events stream (data-live-stream) that says when something changed; on each change the
// region is fetched again and swapped in. Where the stream cannot be opened, the region is polled instead. Run pages also
// append each event of the run to the event history. Everything is set with textContent: nothing from the server is parsed
// as markup except the region's own HTML, which the server encodes.
(function () {
  "use strict";
  var live = document.getElementById("live");
  var status = document.getElementById("live-status");
  var pollTimer = null, refreshing = false, again = false, lastRefresh = 0;

  function setStatus(text) { if (status) { status.textContent = text; } }

  function refresh() {
    if (!live || !live.dataset.liveSrc) { return; }
    if (refreshing) { again = true; return; }
    refreshing = true;
    fetch(live.dataset.liveSrc, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.text();
      })
      .then(function (html) { live.innerHTML = html; lastRefresh = Date.now(); setStatus("live · updated " + new Date().toLocaleTimeString()); })
      .catch(function (error) { setStatus("live · refresh failed (" + error.message + ")"); })
      .finally(function () { refreshing = false; if (again) { again = false; refresh(); } });
  }

  function startPolling() {
    if (pollTimer) { return; }
    setStatus("polling every 2 s");
    pollTimer = setInterval(refresh, 2000);
  }

  function appendEvent(data) {
    var table = document.getElementById("events");
    if (!table) { return; }
    var row = document.createElement("tr");
    row.dataset.sequence = data.sequence;
    row.dataset.name = data.name;
    if (data.state) { row.dataset.state = data.state; }
    var details = "";
    if (data.progress !== undefined && data.progress !== null) { details = "progress " + Math.round(data.progress * 100) + "%" + (data.details ? " · " + data.details : ""); }
    else if (data.failure) { details = data.failure.type + ": " + data.failure.message; }
    else if (data.result !== undefined) { details = JSON.stringify(data.result); }
    [String(data.sequence), new Date(data.timestamp).toISOString().replace("T", " ").replace("Z", ""), data.name + " (" + data.kind + ")",
      data.state || "PROGRESS", details].forEach(function (text) {
      var cell = document.createElement("td");
      cell.textContent = text;
      row.appendChild(cell);
    });
    table.tBodies[0].appendChild(row);
  }

  function listen(url, onEvent) {
    if (!window.EventSource) { startPolling(); return null; }
    var source = new EventSource(url, { withCredentials: true });
    var failures = 0;
    source.onopen = function () { failures = 0; setStatus("live"); };
    source.onerror = function () {
      failures++;
      if (failures >= 3 || source.readyState === EventSource.CLOSED) { source.close(); startPolling(); }
    };
    onEvent(source);
    return source;
  }

  if (live && live.dataset.liveStream) {
    listen(live.dataset.liveStream, function (source) {
      source.addEventListener("changed", refresh);
      source.addEventListener("end", function () { source.close(); refresh(); setStatus("the run finished"); });
    });
  }

  var load = document.getElementById("load-events");
  if (load) {
    load.addEventListener("click", function () {
      load.disabled = true;
      load.textContent = "Following the engine's events";
      listen(load.dataset.stream, function (source) {
        source.addEventListener("flow-event", function (message) { appendEvent(JSON.parse(message.data)); });
        source.addEventListener("end", function () { source.close(); });
      });
    });
  }
}());
