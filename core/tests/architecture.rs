//! Architecture invariants a machine can check (see ARCHITECTURE.md).

use std::path::{Path, PathBuf};

fn core_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Architecture Invariant: dialback-core does no I/O and knows nothing of JavaScript. Time,
/// files and the network come in as values from the shells.
#[test]
fn core_source_has_no_io_clock_randomness_or_js() {
    let mut files = vec![];
    rust_files(&core_dir().join("src"), &mut files);
    let forbidden = [
        "std::fs",
        "std::net",
        "std::process",
        "std::env",
        "SystemTime",
        "Instant::now",
        "Utc::now",
        "Local::now",
        "thread_rng",
        "getrandom",
        "wasm_bindgen",
        "JsValue",
        "js_sys",
        "println!",
        "eprintln!",
    ];
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for word in forbidden {
            assert!(!text.contains(word), "{} uses {word}", file.display());
        }
    }
}

/// Architecture Invariant: the core's dependencies are chrono (dates), serde, uuid and
/// thiserror; chrono's `clock` feature is off. Zone data is the core's own table
/// (`time/tzdata.bin`); chrono-tz is only the reference its tests compare with. The optional
/// dependencies, `phonenumber` (libphonenumber's metadata, feature `regions`), `schemars`
/// (JSON Schemas for the OpenAPI document, feature `openapi`), and `hashbrown` and `memchr`
/// (the call list, feature `lists`), and `sha2` (webhook signatures, feature `webhooks`) are
/// off by default, so the npm package and the console never carry them.
#[test]
fn core_dependencies_are_the_allowed_ones() {
    let manifest = std::fs::read_to_string(core_dir().join("Cargo.toml")).unwrap();
    let deps = manifest
        .split("[dependencies]")
        .nth(1)
        .unwrap()
        .split("\n[")
        .next()
        .unwrap();
    let lines: Vec<&str> = deps
        .lines()
        .filter(|l| !l.trim_start().starts_with('#') && !l.trim().is_empty())
        .collect();
    let names: Vec<&str> = lines
        .iter()
        .filter_map(|l| l.split(['.', ' ', '=']).next())
        .collect();
    assert_eq!(
        names,
        [
            "chrono",
            "serde",
            "serde_json",
            "thiserror",
            "uuid",
            "phonenumber",
            "schemars",
            "hashbrown",
            "memchr",
            "sha2"
        ]
    );
    for name in ["phonenumber", "schemars", "hashbrown", "memchr", "sha2"] {
        let optional = lines.iter().find(|l| l.starts_with(name)).unwrap();
        assert!(optional.contains("optional = true"), "{optional}");
    }
    let features = manifest.split("[features]").nth(1).unwrap();
    assert!(features.contains("default = []"), "{features}");
    let workspace = std::fs::read_to_string(core_dir().join("../Cargo.toml")).unwrap();
    let chrono = workspace
        .lines()
        .find(|l| l.starts_with("chrono ="))
        .unwrap();
    assert!(
        chrono.contains("default-features = false") && !chrono.contains("clock"),
        "{chrono}"
    );
}
