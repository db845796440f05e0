//! The console's static files: any path the app routes is its page, and browsers that accept
//! gzip get the copy `cargo xtask web` compressed beforehand, and every file is revalidated
//! before reuse.

use dialback_server::app::Settings;

use crate::harness::{Server, TempDir};

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut child = std::process::Command::new("gzip")
        .args(["-9", "-n", "-c"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(bytes).unwrap();
    child.wait_with_output().unwrap().stdout
}

#[tokio::test]
async fn the_console_is_served_compressed_and_its_routes_are_its_page() {
    let dist = TempDir::new();
    let page = b"<!doctype html><title>console</title>".repeat(20);
    let wasm = vec![7u8; 4096];
    for (name, body) in [("index.html", &page), ("app.wasm", &wasm)] {
        std::fs::write(dist.0.join(name), body).unwrap();
        std::fs::write(dist.0.join(format!("{name}.gz")), gzip(body)).unwrap();
    }
    let settings = Settings {
        static_dir: Some(dist.0.clone()),
        ..Settings::default()
    };
    let s = Server::start_with(settings, |r| r).await;
    for (path, file, plain) in [
        ("/app.wasm", "app.wasm.gz", &wasm),
        ("/", "index.html.gz", &page),
        ("/stats", "index.html.gz", &page), // a client-side route
    ] {
        let zipped = s
            .http
            .get(format!("{}{path}", s.base))
            .header("accept-encoding", "gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(zipped.status(), 200, "{path}");
        assert_eq!(zipped.headers()["content-encoding"], "gzip", "{path}");
        let expected = std::fs::read(dist.0.join(file)).unwrap();
        assert_eq!(zipped.bytes().await.unwrap().to_vec(), expected, "{path}");

        let raw = s
            .http
            .get(format!("{}{path}", s.base))
            .send()
            .await
            .unwrap();
        assert!(raw.headers().get("content-encoding").is_none(), "{path}");
        // split-off page modules must never be mixed with a stale main module
        assert_eq!(raw.headers()["cache-control"], "no-cache", "{path}");
        assert_eq!(&raw.bytes().await.unwrap().to_vec(), plain, "{path}");
    }
}
