// common.js - what every page of `hexalign serve` shares: the status line
// and calls to the JSON API (an error answer becomes an Error with the
// server's message).
"use strict";
function say(msg, bad) {
  const s = document.getElementById("status");
  s.textContent = msg;
  s.className = bad ? "error" : "";
}
async function api(path, body) {
  const opts = body === undefined ? {} : {method: "POST",
    headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)};
  const r = await fetch(path, opts);
  const j = await r.json();
  if (!r.ok) throw new Error(j.error || r.statusText);
  return j;
}
