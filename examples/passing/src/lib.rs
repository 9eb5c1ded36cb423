//! Tenant quotas.
#![forbid(unsafe_code)]

pub fn remaining(used: u64, limit: u64) -> u64 {
    limit.saturating_sub(used)
}
