//! factsite's integration tests: one binary, one module per feature. Each test builds a
//! fixture project in a temporary folder with [`support::TestProject`] and reads the output
//! with a real HTML parser and a JSON Schema validator.

mod support;

mod pipeline;
mod site;
mod hostile;
mod check;
mod serve;
mod extraction;
mod heldout;
mod crosscheck;
mod render;
