//! `journey.*`: from event columns to a path table (as the Node binding's `journey.pathTable`).

use channelwise::journey::BuildReport;
use js_sys::{Float64Array, Object};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

use crate::attribution::{array, set, set_num, JsResult};
use crate::convert::{self, Opts};
use crate::error::guard;

/// `{ journeys, conversions, unattributedConversions, ... }`: what the build did with the events.
fn report(r: &BuildReport) -> Object {
    let o = Object::new();
    for (key, x) in [
        ("journeys", r.journeys as f64),
        ("conversions", r.conversions as f64),
        ("unattributedConversions", r.unattributed_conversions as f64),
        ("unattributedValue", r.unattributed_value),
        ("duplicatesDropped", r.duplicates_dropped as f64),
        ("duplicateConversions", r.duplicate_conversions as f64),
        ("touchesOutsideLookback", r.touches_outside_lookback as f64),
        ("touchesCollapsed", r.touches_collapsed as f64),
        ("leads", r.leads as f64),
    ] {
        set_num(&o, key, x);
    }
    o
}

/// Groups touchpoint and conversion columns into journeys and aggregates them to path-table
/// columns `{ path, conversions, nulls, value, keyTouch, report }` (one row per distinct path and
/// key touch). Options: `{ lookback, sessionGap, level, leadKind, sep = ">" }`.
#[wasm_bindgen(js_name = journeyPathTable)]
pub fn journey_path_table(touchpoints: JsValue, conversions: JsValue, options: JsValue) -> JsResult {
    guard(|| {
        let o = Opts::new(
            &options,
            "options",
            &["lookback", "sessionGap", "level", "leadKind", "sep"],
        )?;
        let spec = convert::journey_spec(&o)?;
        let sep = o.sep()?;
        let touches = convert::touchpoints(&touchpoints)?;
        let conversions = convert::conversions(&conversions)?;
        let journeys = spec.build(&touches, &conversions)?;
        let t = journeys.path_table();
        let out = Object::new();
        set(
            &out,
            "path",
            &array((0..t.len()).map(|i| JsValue::from_str(&t.path_string(i, &sep)))),
        );
        set(&out, "conversions", &Float64Array::from(t.conversions()));
        set(&out, "nulls", &Float64Array::from(t.nulls()));
        set(&out, "value", &Float64Array::from(t.values()));
        set(
            &out,
            "keyTouch",
            &array((0..t.len()).map(|i| {
                t.key_touch(i)
                    .map_or(JsValue::NULL, |k| JsValue::from_f64(k as f64))
            })),
        );
        set(&out, "report", &report(journeys.report()));
        Ok(out.into())
    })
}
