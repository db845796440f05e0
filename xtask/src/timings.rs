//! Where a task's time went: every command [`crate::run_with`] runs is timed, and `ci` ends
//! with the slowest of them, so that a slower CI names its cause.

use std::sync::Mutex;
use std::time::Duration;

static TIMES: Mutex<Vec<(String, Duration)>> = Mutex::new(Vec::new());

/// How many of the slowest commands the summary lists.
const SHOWN: usize = 25;

/// Notes how long one command took (its program and first arguments name it).
pub fn record(program: &str, args: &[&str], took: Duration) {
    let mut name = program.rsplit('/').next().unwrap_or(program).to_owned();
    for arg in args.iter().take(6) {
        name.push(' ');
        name.push_str(arg);
    }
    if let Ok(mut times) = TIMES.lock() {
        times.push((name, took));
    }
}

/// Prints the slowest commands and the total.
pub fn summary(total: Duration) {
    let Ok(mut times) = TIMES.lock() else {
        return;
    };
    times.sort_by_key(|t| std::cmp::Reverse(t.1));
    eprintln!("\nThe {SHOWN} slowest steps:");
    for (name, took) in times.iter().take(SHOWN) {
        let name: String = name.chars().take(110).collect();
        eprintln!("{:>8.1} s  {name}", took.as_secs_f64());
    }
    let counted: Duration = times.iter().map(|(_, t)| *t).sum();
    eprintln!(
        "{:>8.1} s  in {} steps; {:.1} s in all",
        counted.as_secs_f64(),
        times.len(),
        total.as_secs_f64()
    );
}
