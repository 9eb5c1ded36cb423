//! Artifact formats, their stable names (`--as NAME`, `as NAME` in policies) and content sniffing.

use crate::ReadError;
use std::io::Read;
use std::path::Path;

/// The kind of evidence an artifact gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Coverage,
    Tests,
    Build,
    Load,
    Deps,
    /// Configuration files (YAML, JSON, TOML) queried with JSONPath.
    Config,
}

impl Kind {
    /// The stable name used in JSON (`"coverage"`, `"tests"`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Coverage => "coverage",
            Kind::Tests => "tests",
            Kind::Build => "build",
            Kind::Load => "load",
            Kind::Deps => "deps",
            Kind::Config => "config",
        }
    }
}

macro_rules! formats {
    ($( $variant:ident => $name:literal, $kind:ident; )*) => {
        /// An artifact format.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Format { $( $variant, )* }

        impl Format {
            /// Every format, in documentation order.
            pub const ALL: &'static [Format] = &[ $( Format::$variant, )* ];

            /// The stable name (`lcov`, `cobertura`, ...).
            pub fn name(self) -> &'static str {
                match self { $( Format::$variant => $name, )* }
            }

            /// The kind of evidence this format gives.
            pub fn kind(self) -> Kind {
                match self { $( Format::$variant => Kind::$kind, )* }
            }

            /// Looks a format up by its stable name.
            pub fn from_name(name: &str) -> Option<Format> {
                match name { $( $name => Some(Format::$variant), )* _ => None }
            }
        }
    };
}

formats! {
    Lcov => "lcov", Coverage;
    Cobertura => "cobertura", Coverage;
    Jacoco => "jacoco", Coverage;
    Clover => "clover", Coverage;
    CoveragePyJson => "coveragepy-json", Coverage;
    IstanbulSummary => "istanbul-summary", Coverage;
    IstanbulFinal => "istanbul-final", Coverage;
    GoCover => "go-cover", Coverage;
    LlvmCovJson => "llvm-cov-json", Coverage;
    Junit => "junit", Tests;
    Artillery => "artillery", Load;
    K6 => "k6", Load;
    Locust => "locust", Load;
    Autocannon => "autocannon", Load;
    Wrk => "wrk", Load;
    Tsc => "tsc", Build;
    Next => "next", Build;
    Webpack => "webpack", Build;
    Vite => "vite", Build;
    Rollup => "rollup", Build;
    Esbuild => "esbuild", Build;
    Cargo => "cargo", Build;
    CargoJson => "cargo-json", Build;
    GoBuild => "go-build", Build;
    Mypy => "mypy", Build;
    Pyright => "pyright", Build;
    PyrightJson => "pyright-json", Build;
    PythonTraceback => "python-traceback", Build;
    ExitCode => "exit-code", Build;
    NpmLs => "npm-ls", Deps;
    NpmLsJson => "npm-ls-json", Deps;
    NpmInstall => "npm-install", Deps;
    ConfigFile => "config", Config;
    Yaml => "yaml", Config;
    Json => "json", Config;
    Toml => "toml", Config;
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl serde::Serialize for Format {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// How many leading bytes sniffing looks at.
pub const SNIFF_BYTES: usize = 64 * 1024;

/// Sniffs the format of a file from its first bytes and its name.
pub fn detect(path: &Path) -> Result<Format, ReadError> {
    let io = |source| ReadError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = crate::files::open_artifact(path)?;
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    file.take(SNIFF_BYTES as u64)
        .read_to_end(&mut head)
        .map_err(io)?;
    if head.iter().all(|byte| byte.is_ascii_whitespace()) {
        return Err(ReadError::Empty {
            path: path.to_path_buf(),
            expected: "a coverage, test, build, load-test or dependency report".to_string(),
        });
    }
    crate::coverage::sniff(&head, path)
        .or_else(|| crate::tests::sniff(&head, path))
        .or_else(|| crate::load::sniff(&head, path))
        .or_else(|| crate::deps::sniff(&head, path))
        .or_else(|| crate::build::sniff(&head, path))
        .ok_or_else(|| ReadError::UnknownFormat {
            path: path.to_path_buf(),
            detail: "its content matches none of the known formats; force one with `--as FORMAT`"
                .to_string(),
        })
}
