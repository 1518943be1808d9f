//! What the benches share: timing two builds in alternation, so that drifts in the machine's
//! speed hit both alike.

use std::path::Path;

/// Builds `a` then `b`, `rounds` times over, with `build`; the round whose ratio a / b is the
/// median, in ms.
pub fn alternating(a: &Path, b: &Path, rounds: usize, build: impl Fn(&Path)) -> (f64, f64) {
    let time = |issue: &Path| {
        let start = std::time::Instant::now();
        build(issue);
        start.elapsed().as_secs_f64() * 1000.0
    };
    let mut timed: Vec<(f64, f64)> = (0..rounds).map(|_| (time(a), time(b))).collect();
    timed.sort_by(|x, y| (x.0 / x.1).total_cmp(&(y.0 / y.1)));
    timed[timed.len() / 2]
}
