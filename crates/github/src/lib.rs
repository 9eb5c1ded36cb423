//! Publishing a readiness verdict to GitHub.
