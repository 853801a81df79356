// channelwise for Node.js: loads the native addon (Rust core via napi-rs) and re-exports it.
//
// The addon sits next to this file as channelwise.<platform>-<arch>[-<libc>].node (built by
// `npm run build`); CHANNELWISE_NATIVE=/path/to/file.node overrides the lookup.
'use strict';

const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { nativeFileName } = require('./platform.js');

function loadNative() {
  const file = process.env.CHANNELWISE_NATIVE || join(__dirname, nativeFileName());
  if (!existsSync(file)) {
    const err = new Error(
      `channelwise: native addon not found at ${file}. Build it with \`npm run build\` ` +
        '(needs a Rust toolchain), or set CHANNELWISE_NATIVE to a built .node file.',
    );
    err.code = 'MODULE_NOT_FOUND';
    throw err;
  }
  return require(file);
}

const native = loadNative();

// The API declared once in Rust (bindings-js), shared with the browser build: namespaces,
// functions and classes come from the addon's `call('surface')` through the shared wrapper.
const api = require('./api.cjs').build(
  {
    call: (id, args) => native.call(id, args),
    stashJoined: (field, text) => native.stashJoined(field, text),
    callAsync: (id, args, _member, watch) => native.callAsync(id, args, watch),
  },
  require('./surface.json'),
);

// Plain `exports.name =` assignments, so ES modules can `import { attribution } from 'channelwise'`.

/** Multi-touch attribution: heuristics, Markov, Shapley, time decay, path CSV. */
exports.attribution = Object.freeze(api.attribution);
/** Journeys: from event logs to path tables. */
exports.journey = Object.freeze(api.journey);
/** Classical statistics: correlation and trend tests. */
exports.stats = Object.freeze(api.stats);

/**
 * Forecasting: `forecast.metrics.*`, rolling-origin evaluation (`forecast.RollingOrigin`),
 * exponential smoothing (`forecast.Ets`, `forecast.AutoEts` -> `forecast.FittedEts`) and
 * seasonal decomposition (`forecast.stl`, `forecast.mstl`, strengths).
 */
exports.forecast = Object.freeze(api.forecast);
/**
 * Anomaly detection: `anomaly.IsolationForest`, robust detectors (`mad`, `madOutliers`,
 * `hampel`, `esd`, `seasonalEsd`), `residualAlerts` and `averagePathLength`.
 */
exports.anomaly = Object.freeze(api.anomaly);
/** Generalised linear models: `glm.LogisticRegression` -> `glm.FittedLogistic`. */
exports.glm = Object.freeze(api.glm);
/**
 * Customer lifetime value: `clv.BetaGeo`, `clv.ParetoNbd`, `clv.GammaGamma`, `clv.ShiftedBetaGeo`
 * -> `Fitted*`; `*Params` at known parameters; `clv.rfm`, `clv.calibrationAndHoldout`.
 */
exports.clv = Object.freeze(api.clv);
/**
 * Leads: `leads.funnel`, `leads.cohorts`, `leads.score`, `leads.lifecycle`, `leads.health` over an
 * event log `{ lead, timestamp, event, value? }`.
 */
exports.leads = Object.freeze(api.leads);
/**
 * Response curves and the media mix model: `optimize.Saturation`, `optimize.Adstock`,
 * `optimize.MMM` -> `optimize.FittedMMM`; bids: `optimize.BidModel` -> `optimize.FittedBids`.
 */
exports.optimize = Object.freeze(api.optimize);
/**
 * Platforms, sans I/O: `platform.normalize`, `platform.hash`, `platform.hashUserData` (PII as
 * Meta and Google hash it), `platform.verifyWebhook` / `checkTimestamped` / `signWebhook`
 * (Shopify, Meta, Stripe-style), `platform.SimMarket` (a seeded simulated ad market) and
 * `platform.classify` (retry, back off or give up on a vendor failure).
 */
exports.platform = Object.freeze(api.platform);
/**
 * Experiments: `experiment.ztest`, `welch`, `chisq`, `betaBinomial`, `bayes`, `power`,
 * `cuped`, `sequential`, `groupSequential` over arms' sufficient statistics, and
 * `experiment.Bandit` (seeded, serialisable multi-armed and contextual bandits).
 */
exports.experiment = Object.freeze(api.experiment);
/**
 * Decisions: the policy and risk rules (`decide.assessRisk`, `riskLevel`, `autoApproves`,
 * `stages`, `validatePolicy`, `checkGuardrails`, `capsBreach`, `performanceBreach`) and
 * `decide.Engine` (propose, approve, execute through adapters, stop, roll back, audit; its state
 * in a SQLite file or PostgreSQL).
 */
exports.decide = Object.freeze(api.decide);
/** Every `code` a channelwise error can carry (the core's `ErrorKind` codes). */
exports.ERROR_CODES = api.ERROR_CODES;
