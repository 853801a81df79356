//! The checked-in generated files equal what the declarations give: the `.d.ts` both packages
//! ship and the surface the shared JS wrapper reads. `UPDATE_DTS=1` rewrites them.

use std::path::PathBuf;

use channelwise_js::dts::{generate, surface};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn check(rel: &str, want: &str) {
    let path = root().join(rel);
    if std::env::var_os("UPDATE_DTS").is_some() {
        std::fs::write(&path, want).unwrap_or_else(|e| panic!("writing {rel}: {e}"));
        return;
    }
    let got = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        got == want,
        "{rel} is out of date with the Rust declarations in bindings-js: run `UPDATE_DTS=1 cargo test -p channelwise-js --test generated` and commit the result"
    );
}

#[test]
fn dts_is_current() {
    check("bindings-js/js/index.d.ts", &generate());
}

#[test]
fn surface_is_current() {
    check("bindings-js/js/surface.json", &surface());
}

#[test]
fn surface_is_json() {
    let v: serde_json::Value = serde_json::from_str(&surface()).expect("surface() is valid JSON");
    assert!(v["namespaces"].as_array().is_some_and(|ns| !ns.is_empty()));
}
