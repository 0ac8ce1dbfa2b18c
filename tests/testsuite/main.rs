//! factsite's integration tests: one binary, one module per feature. Each test builds a
//! fixture project in a temporary folder with [`support::TestProject`] and reads the output
//! with a real HTML parser and a JSON Schema validator.

mod support;

mod check;
mod crosscheck;
mod extraction;
mod heldout;
mod hostile;
mod pipeline;
mod render;
mod serve;
mod site;
