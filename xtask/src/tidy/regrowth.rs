//! The rules issue 28 took back from the shells, each guarded against growing back.

use super::{code_lines, report, shell_sources};

/// A textual sign that a shell re-derives a rule the core owns.
struct Leak {
    /// What the line contains.
    sign: &'static str,
    /// The directories it is looked for in.
    under: &'static [&'static str],
    /// What to call instead.
    instead: &'static str,
    /// Files where the sign means something else, and what.
    except: &'static [(&'static str, &'static str)],
}

const SHELL_SOURCES: &[&str] = &["server/src/", "web/src/", "wasm/src/"];

/// The rules issue 28 found re-derived in the shells, each now the core's: any of these signs
/// in a shell means a second copy is growing back.
const LEAKS: [Leak; 7] = [
    Leak {
        sign: "== Direction::",
        under: &["web/src/"],
        instead: "Direction::can_take_callbacks / can_be_callback_source",
        except: &[],
    },
    Leak {
        sign: "!= Direction::",
        under: &["web/src/"],
        instead: "Direction::can_take_callbacks / can_be_callback_source",
        except: &[],
    },
    Leak {
        sign: ".to_lowercase().contains(",
        under: SHELL_SOURCES,
        instead: "AgentQuery::matches (agents::filter in the console)",
        except: &[(
            "web/src/reference.rs",
            "searches the API reference's own text, not agents",
        )],
    },
    Leak {
        sign: "== b'\\n'",
        under: SHELL_SOURCES,
        instead: "wire::lines::NdjsonLines (numbering, CR, blank and too-long lines)",
        except: &[],
    },
    Leak {
        sign: ".0}%",
        under: SHELL_SOURCES,
        instead: "callback::trend::percent, Figure::percent_of_received / change_text",
        except: &[],
    },
    Leak {
        sign: ".1}%",
        under: SHELL_SOURCES,
        instead: "callback::trend::percent, Figure::percent_of_received / change_text",
        except: &[
            ("web/src/ui.rs", "a bar's CSS width, which nobody reads"),
            ("web/src/charts/mod.rs", "a tooltip's CSS position"),
        ],
    },
    Leak {
        sign: "NumberResource {",
        under: &[
            "server/src/ops/",
            "server/src/http/",
            "web/src/",
            "wasm/src/",
        ],
        instead: "phone::assignment / NumberResource::unassigned",
        except: &[],
    },
];

/// Architecture Invariant (tidy): the rules that once leaked into the shells (agent roles by
/// direction, agent search, NDJSON lines, shares, number assignment) are not re-derived there.
#[test]
fn shells_do_not_regrow_rules_the_core_took_back() {
    let sources = shell_sources();
    let problems = LEAKS
        .iter()
        .flat_map(|leak| {
            code_lines(&sources)
                .filter(|(path, _, code)| {
                    leak.under.iter().any(|u| path.starts_with(u))
                        && !leak.except.iter().any(|(p, _)| p == path)
                        && code.contains(leak.sign)
                })
                .map(|(path, line, code)| {
                    format!("{path}:{line}: {} (use {})", code.trim(), leak.instead)
                })
                .collect::<Vec<_>>()
        })
        .collect();
    report(problems, "a shell re-derives a rule the core owns");
}
