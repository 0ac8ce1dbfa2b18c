//! Claim extraction on the sample corpus (issue 3): what a careful reader finds there.

use factsite::extract::{self, Gazetteer};
use factsite::lang::Language;
use factsite::read::Source;
use factsite::segment;

#[test]
fn dump() {
    let lang = Language::load("fr").unwrap();
    let gaz = Gazetteer::new(lang.entities.clone());
    let mut paths: Vec<_> = std::fs::read_dir(crate::support::repo().join("seeds")).unwrap().map(|e| e.unwrap().path()).collect();
    paths.sort();
    for p in paths {
        let text = std::fs::read_to_string(&p).unwrap();
        let src = Source::from_text(p.file_name().unwrap().to_str().unwrap(), &text);
        let seg = segment::segment(&src, &lang);
        println!("=== {} {:?}", src.path, seg.meta);
        for l in &seg.lines {
            if !l.kind.is_content() { println!("  L{} {:?}", l.number, l.kind); }
        }
        for c in extract::extract(&src, &seg, &lang, &gaz) {
            println!("- [{}] {:.2} {}", src.lines.line_of(c.span.start), c.score, c.span.slice(&text));
            for q in &c.quantities { println!("    Q {:?} {:?} {:?} {:?}", q.text, q.value, q.unit, q.bound); }
            for d in &c.dates { println!("    D {:?} {:?} {:?}", d.text, d.value, d.range); }
            println!("    E {:?}", c.entities.iter().map(|e| format!("{}:{}:{}", e.id, e.text, e.kind)).collect::<Vec<_>>());
            if let Some(a) = &c.attribution { println!("    A {:?} {:?}", a.text, a.entity); }
            if c.hedged { println!("    H {:?}", c.hedge_cues); }
        }
    }
}
