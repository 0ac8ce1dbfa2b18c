//! The whole pipeline on the sample corpus (issue: end to end).

use crate::support::{sel, TestProject};

#[test]
fn sample_builds_a_home_page() {
    let p = TestProject::sample();
    p.build();
    let home = p.html("index.html");
    assert!(home.select(&sel("main h1")).next().is_some());
}
