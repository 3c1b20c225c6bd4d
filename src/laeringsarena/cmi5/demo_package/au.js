"use strict";
// A small cmi5 AU runtime in plain JavaScript (cmi5 §7–§11): reads the launch parameters, fetches
// the auth token once, reads LMS.LaunchData and the learner preferences, and sends cmi5 defined
// statements. Pages call cmi5AU.start(), then .complete(), .judge(scaled) and .exit().
window.cmi5AU = (function () {
  var CMI5 = "https://w3id.org/xapi/cmi5/context/categories/cmi5";
  var MOVEON = "https://w3id.org/xapi/cmi5/context/categories/moveon";
  var MASTERY = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore";
  var ADL = "http://adlnet.gov/expapi/verbs/";
  var query = new URLSearchParams(window.location.search);
  var launch = {
    endpoint: query.get("endpoint"), fetch: query.get("fetch"),
    actor: JSON.parse(query.get("actor") || "null"),
    registration: query.get("registration"), activityId: query.get("activityId")
  };
  var token = null, data = null, startedAt = new Date(), sent = {};

  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return [h.slice(0, 8), h.slice(8, 12), h.slice(12, 16), h.slice(16, 20), h.slice(20)].join("-");
  }
  function duration() { return "PT" + ((new Date() - startedAt) / 1000).toFixed(2) + "S"; }
  function xapi(method, resource, params, body) {
    var url = new URL(resource, launch.endpoint.replace(/\/?$/, "/"));
    Object.keys(params || {}).forEach(function (k) { url.searchParams.set(k, params[k]); });
    var headers = { "Authorization": "Basic " + token, "X-Experience-API-Version": "1.0.3" };
    if (body !== undefined) { headers["Content-Type"] = "application/json"; }
    return fetch(url.toString(), { method: method, headers: headers, body: body === undefined ? undefined : JSON.stringify(body) });
  }
  function send(verb, result) {
    var context = JSON.parse(JSON.stringify(data.contextTemplate));
    context.registration = launch.registration;
    context.contextActivities = context.contextActivities || {};
    var category = (context.contextActivities.category || []).concat([{ id: CMI5 }]);
    if (result && (result.success !== undefined || result.completion !== undefined)) { category.push({ id: MOVEON }); }
    context.contextActivities.category = category;
    if ((verb === "passed" || verb === "failed") && data.masteryScore !== undefined) {
      context.extensions = context.extensions || {};
      context.extensions[MASTERY] = data.masteryScore;
    }
    var statement = {
      id: uuid(), actor: launch.actor, verb: { id: ADL + verb, display: { "en-US": verb } },
      object: { objectType: "Activity", id: launch.activityId }, context: context, timestamp: new Date().toISOString()
    };
    if (result) { statement.result = result; }
    return xapi("POST", "statements", {}, [statement]).then(function (r) {
      if (!r.ok) { throw new Error("LRS-en svarte " + r.status); }
      sent[verb] = true;
    });
  }
  function judged() { return data && data.launchMode === "Normal"; }
  return {
    start: function () {
      return fetch(launch.fetch, { method: "POST" }).then(function (r) { return r.json(); }).then(function (body) {
        if (!body["auth-token"]) { throw new Error(body["error-text"] || "Fikk ikke tilgang"); }
        token = body["auth-token"];
        return xapi("GET", "activities/state", {
          stateId: "LMS.LaunchData", activityId: launch.activityId,
          agent: JSON.stringify(launch.actor), registration: launch.registration
        });
      }).then(function (r) { if (!r.ok) { throw new Error("Fant ikke oppstartsdata"); } return r.json(); })
        .then(function (launchData) {
          data = launchData;
          return xapi("GET", "agents/profile", { agent: JSON.stringify(launch.actor), profileId: "cmi5LearnerPreferences" });
        }).then(function () { return send("initialized"); })
        .then(function () { return { judged: judged(), masteryScore: data.masteryScore }; });
    },
    complete: function () {
      if (!judged() || sent.completed) { return Promise.resolve(); }
      return send("completed", { completion: true, duration: duration() });
    },
    judge: function (scaled) {
      if (!judged() || sent.passed || sent.failed) { return Promise.resolve(null); }
      var mastery = data.masteryScore === undefined ? 1 : data.masteryScore;
      var passed = scaled >= mastery;
      return send(passed ? "passed" : "failed", { success: passed, duration: duration(), score: { scaled: scaled } })
        .then(function () { return passed; });
    },
    exit: function () {
      return send("terminated", { duration: duration() }).then(function () {
        if (data.returnURL) { window.location.assign(data.returnURL); }
      });
    }
  };
}());
