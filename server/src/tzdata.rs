//! The time zone table the server answers by: the one compiled in, or a newer one an operator
//! names with `dialback serve --tzdata PATH`, without a new build of Dialback.
//!
//! `PATH` is a directory of compiled zone files (TZif), such as `/usr/share/zoneinfo` from the
//! OS's `tzdata` package or Python's `tzdata` package's `zoneinfo/`, or a table in Dialback's
//! compact form (`dialback tzdata compile`, a server's `GET /tzdata`). Reading the files is
//! this module's work; what they mean (which files are zones, which release they are, how a
//! name the directory lacks is answered) is the core's (`Tzdata::from_zoneinfo`,
//! `Tzdata::complete_from`).

use std::path::Path;
use std::sync::OnceLock;

use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use dialback_core::{OlderTables, Tzdata, Zone};

/// A zoneinfo directory has about 1,800 files (with `posix/` and `right/`, which are not
/// read); more than this is not one, and reading on would only waste the start.
const MAX_FILES: usize = 20_000;
/// Zone files are a few KB, `tzdata.zi` about 110 KB: a larger file is not read.
const MAX_FILE_BYTES: u64 = 1 << 20;

/// How a table came to be in force, for the start-up report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loaded {
    /// The release now in force.
    pub version: String,
    /// Where it came from.
    pub source: String,
    /// Zones the source had.
    pub zones: usize,
    /// Names the source lacked that follow the zone they are a link to.
    pub followed: usize,
    /// Names the source lacked that keep the compiled-in offsets.
    pub kept: usize,
}

impl std::fmt::Display for Loaded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "tzdata {} from {} ({} zones",
            self.version, self.source, self.zones
        )?;
        if self.followed > 0 {
            write!(f, "; {} links it lacks follow their zone", self.followed)?;
        }
        if self.kept > 0 {
            write!(
                f,
                "; {} names it lacks keep the compiled-in {}",
                self.kept,
                Tzdata::embedded_version()
            )?;
        }
        f.write_str(")")
    }
}

/// Reads a table from `path`: a zoneinfo directory, or a compact table file. `version` names
/// the release when a directory does not (no `+VERSION` or `tzdata.zi`). The table comes back
/// completed from the compiled-in one, so that every zone name keeps parsing.
pub fn read(path: &Path, version: Option<&str>) -> Result<(Tzdata, Loaded), String> {
    let shown = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| format!("--tzdata {shown}: {e}"))?;
    let table = if meta.is_dir() {
        let files = zoneinfo_files(path).map_err(|e| format!("--tzdata {shown}: {e}"))?;
        Tzdata::from_zoneinfo(files.iter().map(|(n, b)| (n.as_str(), &b[..])), version)
    } else {
        let bytes = std::fs::read(path).map_err(|e| format!("--tzdata {shown}: {e}"))?;
        Tzdata::from_compact(&bytes)
    }
    .map_err(|e| format!("--tzdata {shown}: {e}"))?;
    let zones = table.zone_count();
    let (table, completion) = table.complete_from(&Tzdata::embedded());
    let loaded = Loaded {
        version: table.version().to_string(),
        source: shown,
        zones,
        followed: completion.followed.len(),
        kept: completion.kept.len(),
    };
    Ok((table, loaded))
}

/// Puts the table at `path` in force for the whole process (see [`read`]); a release older
/// than the compiled-in one is refused unless `allow_older`. Call it before serving: answers
/// follow the table in force from then on, and `GET /tzdata` serves it.
pub fn install(path: &Path, version: Option<&str>, allow_older: bool) -> Result<Loaded, String> {
    let (table, loaded) = read(path, version)?;
    let compact = table.to_compact();
    let older = if allow_older {
        OlderTables::Allow
    } else {
        OlderTables::Refuse
    };
    table.install(older).map_err(|e| {
        let hint = if matches!(e, dialback_core::TzdataError::Older { .. }) {
            " (--tzdata-allow-older takes it anyway)"
        } else {
            ""
        };
        format!("--tzdata {}: {e}{hint}", path.display())
    })?;
    // the first table installed is the one served; a process installs one at most
    let _ = IN_FORCE.set(compact);
    Ok(loaded)
}

static IN_FORCE: OnceLock<Vec<u8>> = OnceLock::new();

/// The table in force, in the compact form.
pub fn in_force() -> &'static [u8] {
    IN_FORCE
        .get()
        .map_or(Tzdata::embedded_compact(), Vec::as_slice)
}

/// `GET /tzdata`: the zone table this server answers by, in Dialback's compact form, for the
/// console and the npm package (`loadTzdata`) to answer as the server does. No token: it is
/// public data. `X-Tzdata-Version` names the release; the ETag lets a client ask again
/// cheaply.
pub async fn serve(headers: HeaderMap) -> Response {
    let version = Zone::database_version();
    let etag = format!("\"tzdata-{version}\"");
    let etag_value = HeaderValue::from_str(&etag).unwrap_or(HeaderValue::from_static("\"\""));
    let common = [
        (CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        (ETAG, etag_value),
        (
            axum::http::HeaderName::from_static("x-tzdata-version"),
            HeaderValue::from_str(version).unwrap_or(HeaderValue::from_static("unknown")),
        ),
    ];
    let fresh = headers
        .get(IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    if fresh {
        return (StatusCode::NOT_MODIFIED, common).into_response();
    }
    (
        common,
        [(CONTENT_TYPE, "application/vnd.dialback.tzdata")],
        in_force(),
    )
        .into_response()
}

/// Every regular file under `dir` the core wants read (`Tzdata::zoneinfo_wants`), with its
/// path relative to `dir`. Links to files are followed (Debian links `US/Eastern` to
/// `America/New_York`); links to directories are not (`posix` is sometimes a link to `.`).
fn zoneinfo_files(dir: &Path) -> Result<Vec<(String, Vec<u8>)>, String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    let mut seen = 0usize;
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d).map_err(|e| format!("{}: {e}", d.display()))?;
        for entry in entries {
            let entry = entry.map_err(|e| format!("{}: {e}", d.display()))?;
            seen += 1;
            if seen > MAX_FILES {
                return Err(format!(
                    "more than {MAX_FILES} files: not a zoneinfo directory"
                ));
            }
            let path = entry.path();
            let Some(rel) = path
                .strip_prefix(dir)
                .ok()
                .and_then(Path::to_str)
                .map(|r| r.replace(std::path::MAIN_SEPARATOR, "/"))
            else {
                continue;
            };
            if !Tzdata::zoneinfo_wants(&rel) {
                continue;
            }
            let kind = entry.file_type().map_err(|e| format!("{rel}: {e}"))?;
            if kind.is_dir() {
                stack.push(path);
                continue;
            }
            // a link is followed only to a file
            let Ok(meta) = std::fs::metadata(&path) else {
                continue;
            };
            if !meta.is_file() || meta.len() > MAX_FILE_BYTES {
                continue;
            }
            let bytes = std::fs::read(&path).map_err(|e| format!("{rel}: {e}"))?;
            out.push((rel, bytes));
        }
    }
    Ok(out)
}
