//! Line width: `cargo fmt --check` passes on a file rustfmt gave up on (a literal too long to
//! fit leaves its whole expression as written), so the width is checked here.

use std::path::{Path, PathBuf};

use super::report;
use crate::root;

/// rustfmt's `max_width`, which this repository keeps.
const MAX_WIDTH: usize = 100;

/// Every Rust file of the repository, the fuzz targets included.
fn rust_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                let name = entry.file_name();
                if !matches!(
                    name.to_str(),
                    Some("target" | "node_modules" | "pkg" | ".git")
                ) {
                    walk(&path, out);
                }
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    for dir in ["core", "server", "web", "wasm", "xtask", "tests"] {
        walk(&root().join(dir), &mut files);
    }
    files
}

/// The lines (0-based) inside `view!` macros: leptosfmt lays those out (`leptosfmt.toml`), and
/// a deeply nested element may end past the width.
fn view_lines(text: &str) -> Vec<bool> {
    let mut inside = vec![false; text.lines().count() + 1];
    let (mut line, mut depth) = (0usize, 0usize);
    let mut views: Vec<usize> = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if !views.is_empty()
            && let Some(slot) = inside.get_mut(line)
        {
            *slot = true;
        }
        match c {
            '\n' => line += 1,
            '"' => {
                // a string: to its closing quote, newlines counted
                while let Some((_, c)) = chars.next() {
                    match c {
                        '\\' => {
                            if let Some((_, '\n')) = chars.next() {
                                line += 1;
                            }
                        }
                        '\n' => line += 1,
                        '"' => break,
                        _ => {}
                    }
                }
            }
            '/' if text.get(i..i + 2) == Some("//") => {
                for (_, c) in chars.by_ref() {
                    if c == '\n' {
                        line += 1;
                        break;
                    }
                }
            }
            '{' => {
                if text
                    .get(..i)
                    .is_some_and(|before| before.trim_end().ends_with("view!"))
                {
                    views.push(depth);
                }
                depth += 1;
            }
            '}' => {
                depth = depth.saturating_sub(1);
                if views.last() == Some(&depth) {
                    views.pop();
                }
            }
            _ => {}
        }
    }
    inside
}

/// Architecture Invariant (tidy): no line of Rust is wider than rustfmt's `max_width`, so
/// `cargo fmt` formats every expression instead of leaving one as written; the console's
/// `view!` macros, which rustfmt does not read, are leptosfmt's.
#[test]
fn no_line_is_wider_than_rustfmt_formats() {
    let mut problems = Vec::new();
    for file in rust_files() {
        let path = file
            .strip_prefix(root())
            .unwrap_or(&file)
            .to_string_lossy()
            .into_owned();
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        let views = if path.starts_with("web/src/") {
            view_lines(&text)
        } else {
            Vec::new()
        };
        for (n, line) in text.lines().enumerate() {
            let width = line.chars().count();
            let in_view = views.get(n).copied().unwrap_or(false);
            if width > MAX_WIDTH && !in_view {
                problems.push(format!("{path}:{}: {width} characters", n + 1));
            }
        }
    }
    report(
        problems,
        "a line is wider than rustfmt's max_width (100): rustfmt leaves such an expression \
         unformatted; break the literal (`\\` continuation, `concat!`) or the macro's arguments",
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn view_bodies_are_told_from_the_code_around_them() {
        let text = "fn a() {\n    let s = \"{\";\n    view! {\n        <p>{x}</p>\n    }\n}\nx\n";
        let inside = view_lines(text);
        assert_eq!(
            &inside[..7],
            &[false, false, true, true, true, false, false]
        );
    }
}
