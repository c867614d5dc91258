//! The plumbing large descriptions put in their names, and taking it out.
//!
//! Descriptions assembled from many products namespace their schema names
//! (`aaa_audit-logs`, `dns-records_dns-record`: one prefix per product), or
//! write them as package paths (`messaging.v1.service`); and some give every
//! tag the same leading words (`Api20100401Message`, `MessagingV1Service`).
//! A user reads the names without it, wherever dropping it leaves no clash.
//!
//! The rules look at all the names together, never at one vendor's
//! spelling:
//!
//! - a **package path** is lower-case segments joined by dots before the
//!   name (`messaging.v1.service.alpha_sender`: `alpha_sender`); a prefix
//!   shared by no other name is not a package;
//! - an **underscore namespace** is the first `_`-separated word, when the
//!   description namespaces nearly every name that way: at least 90 % of
//!   the names have a prefix that at least one other name shares, and there
//!   are far fewer prefixes than names;
//! - **tags** lose the leading words every tag shares, when every tag has
//!   words left after them.
//!
//! A name whose shortened form meets another name (shortened or not) keeps
//! its whole form, and so does the other.

use super::{camel, words};
use std::collections::{BTreeMap, BTreeSet};

/// The type name each component schema key asks for, in order: its words
/// in UpperCamelCase, without a namespace where that leaves no clash.
pub fn schema_type_names(keys: &[&str]) -> Vec<String> {
    let underscore = underscore_namespaced(keys);
    let short: Vec<Option<String>> = keys
        .iter()
        .map(|k| package_name(k, keys).or_else(|| underscore.then(|| after_namespace(k)).flatten()))
        // A shortened name must not start with a digit (`aaa_2fa`).
        .map(|s| s.filter(|s| !s.starts_with(|c: char| c.is_ascii_digit())).map(camel))
        .collect();
    let full: Vec<String> = keys.iter().map(|k| camel(k)).collect();
    // How many keys want each name, shortened or whole.
    let mut wanted: BTreeMap<&str, usize> = BTreeMap::new();
    for (s, f) in short.iter().zip(&full) {
        *wanted.entry(s.as_deref().unwrap_or(f)).or_default() += 1;
    }
    let whole: BTreeSet<&str> = full.iter().map(String::as_str).collect();
    short
        .iter()
        .zip(&full)
        .map(|(s, f)| match s {
            Some(s) if wanted[s.as_str()] == 1 && (!whole.contains(s.as_str()) || s == f) => s.clone(),
            _ => f.clone(),
        })
        .collect()
}

/// The name after a package path (`messaging.v1.service.alpha_sender`:
/// `alpha_sender`), when the path is lower-case segments that another key
/// shares.
fn package_name<'k>(key: &'k str, keys: &[&str]) -> Option<&'k str> {
    let (package, name) = key.rsplit_once('.')?;
    let lower = package.split('.').all(|seg| {
        !seg.is_empty() && seg.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
    });
    let dotted_prefix = format!("{package}.");
    let shared = keys.iter().filter(|k| k.starts_with(&dotted_prefix)).count() > 1
        || keys.iter().any(|k| **k != *key && k.rsplit_once('.').is_some_and(|(p, _)| p.split('.').next() == package.split('.').next()));
    (lower && shared && !name.is_empty()).then_some(name)
}

/// Whether nearly every key starts with an underscore namespace that other
/// keys share.
fn underscore_namespaced(keys: &[&str]) -> bool {
    let mut prefixes: BTreeMap<&str, usize> = BTreeMap::new();
    for k in keys {
        if let Some((p, rest)) = k.split_once('_') {
            if !p.is_empty() && !rest.is_empty() {
                *prefixes.entry(p).or_default() += 1;
            }
        }
    }
    let namespaced = keys
        .iter()
        .filter(|k| k.split_once('_').is_some_and(|(p, rest)| !rest.is_empty() && prefixes.get(p).is_some_and(|n| *n > 1)))
        .count();
    keys.len() >= 8 && namespaced * 10 >= keys.len() * 9 && prefixes.len() * 2 <= keys.len()
}

fn after_namespace(key: &str) -> Option<&str> {
    key.split_once('_').map(|(_, rest)| rest).filter(|r| !r.is_empty())
}

/// How many leading words every tag shares and can lose (0 when there are
/// fewer than two tags, or a tag would be left with nothing).
pub fn shared_tag_words(tags: &[&str]) -> usize {
    let split: Vec<Vec<String>> = tags.iter().map(|t| words(t)).collect::<BTreeSet<_>>().into_iter().collect();
    if split.len() < 2 {
        return 0;
    }
    let shortest = split.iter().map(Vec::len).min().unwrap_or(0);
    (0..shortest.saturating_sub(1))
        .take_while(|i| split.iter().all(|w| w[*i] == split[0][*i]))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespaced_schema_names_lose_the_namespace_where_no_clash_follows() {
        let keys = [
            "aaa_audit-logs",
            "aaa_api-response-common",
            "aaa_audit_logs_response_collection",
            "dns-records_dns-record",
            "dns-records_api-response-common",
            "dns-records_ttl",
            "zones_zone",
            "zones_ttl",
            "zones_Zone",
            "legacy-jhs_audit-logs2",
        ];
        let got = schema_type_names(&keys);
        let want = [
            "AuditLogs",
            "AaaApiResponseCommon",
            "AuditLogsResponseCollection",
            "DnsRecord",
            "DnsRecordsApiResponseCommon",
            "DnsRecordsTtl",
            // `zone` and `Zone` would both be `Zone`: both stay whole
            // (and meet again; the type namespace numbers the second).
            "ZonesZone",
            "ZonesTtl",
            "ZonesZone",
            "AuditLogs2",
        ];
        for ((k, g), w) in keys.iter().zip(&got).zip(want) {
            assert_eq!(g, w, "{k}");
        }
    }

    #[test]
    fn names_that_are_not_namespaced_stay_whole() {
        // Underscores inside ordinary names, not one prefix per product.
        let keys = ["account", "account_capabilities", "account_settings", "charge", "customer", "api_errors", "balance", "bank_account"];
        let got = schema_type_names(&keys);
        assert_eq!(got, ["Account", "AccountCapabilities", "AccountSettings", "Charge", "Customer", "ApiErrors", "Balance", "BankAccount"]);
        // Upper-case dotted names are not package paths; a lone package is not one either.
        let keys = ["Pet.Response", "Pet.Request", "org.example.Thing"];
        assert_eq!(schema_type_names(&keys), ["PetResponse", "PetRequest", "OrgExampleThing"]);
    }

    #[test]
    fn package_paths_are_dropped() {
        let keys = [
            "messaging.v1.service",
            "messaging.v1.service.alpha_sender",
            "messaging.v1.brand_registrations",
            "messaging.v1.deactivation",
            "brand_registrations_enum_status",
            "service_enum_scan_message_content",
        ];
        let got = schema_type_names(&keys);
        assert_eq!(
            got,
            ["Service", "AlphaSender", "BrandRegistrations", "Deactivation", "BrandRegistrationsEnumStatus", "ServiceEnumScanMessageContent"]
        );
    }

    #[test]
    fn tags_lose_the_words_they_all_start_with() {
        for (tags, n) in [
            (&["Api20100401Message", "Api20100401Call", "Api20100401Account"][..], 1),
            (&["MessagingV1Service", "MessagingV1AlphaSender", "MessagingV1Deactivations"][..], 2),
            (&["Audit Logs", "Zones", "DNS Records"][..], 0),
            // A tag that is only the shared words keeps them all.
            (&["User", "User Settings"][..], 0),
            (&["Pets"][..], 0),
        ] {
            assert_eq!(shared_tag_words(tags), n, "{tags:?}");
        }
    }
}
