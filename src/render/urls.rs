//! Site-relative URLs of every page, in one place so links and files always agree.

/// Home page.
pub const HOME: &str = "index.html";

/// A source page.
pub fn source(id: &str) -> String {
    format!("sources/{id}.html")
}

/// The citation target of a claim on its source page.
pub fn cite(source_id: &str, claim_id: &str) -> String {
    format!("sources/{source_id}.html#{claim_id}")
}

/// A claim page.
pub fn claim(id: &str) -> String {
    format!("claims/{id}.html")
}

/// A topic page.
pub fn topic(id: &str) -> String {
    format!("topics/{id}.html")
}

/// An entity page.
pub fn entity(id: &str) -> String {
    format!("entities/{id}.html")
}

/// A finding on the findings page.
pub fn finding(id: &str) -> String {
    format!("findings.html#{id}")
}
