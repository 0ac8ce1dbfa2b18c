//! `factsite init`: a new, empty project that builds as soon as sources are added.

use crate::config::{Config, CONFIG_FILE};
use anyhow::{bail, Context};
use std::path::Path;

pub fn run(dir: &Path) -> anyhow::Result<i32> {
    let config_path = dir.join(CONFIG_FILE);
    if config_path.exists() {
        bail!("{} already exists: this folder is a project already", config_path.display());
    }
    let config = Config { sources_dir: "sources".into(), ..Config::default() };
    for sub in [&config.sources_dir, &config.content_dir, &config.templates_dir] {
        std::fs::create_dir_all(dir.join(sub)).with_context(|| format!("creating {}", dir.join(sub).display()))?;
    }
    let text = format!(
        "# factsite project. Every key is described in factsite's README.\n{}",
        toml::to_string(&config).context("serialising the default config")?
    );
    std::fs::write(&config_path, text).with_context(|| format!("writing {}", config_path.display()))?;
    println!(
        "Created a project in {}. Put .txt sources in {}/ and run `factsite build`.",
        dir.display(),
        dir.join(&config.sources_dir).display()
    );
    Ok(0)
}
