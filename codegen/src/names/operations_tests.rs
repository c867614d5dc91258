//! Table tests of the surface-naming rules: input, expected output, one
//! line each. The operation ids are real ones (GitHub, Stripe, Azure,
//! Cloudflare, DigitalOcean, Discord, Twilio, the Petstore) unless marked.

use super::*;

#[test]
fn group_names() {
    let table: &[(&str, Option<&str>)] = &[
        ("pets", Some("pets")),
        ("Audit Logs", Some("audit_logs")),
        ("1-Click Applications", Some("one_click_applications")),
        ("2FA", Some("two_fa")),
        ("24h reports", Some("twenty_four_h_reports")),
        ("2024 Reports", Some("n2024_reports")),
        ("User's Account Memberships", Some("users_account_memberships")),
        ("Magic WAN Connector LANs", Some("magic_wan_connector_lans")),
        ("MessagingV1AlphaSender", Some("messaging_v1_alpha_sender")),
        ("actions", Some("actions")),
        ("type", Some("type")),
        ("???", None),
        ("", None),
    ];
    for (raw, want) in table {
        assert_eq!(group_name(raw).as_deref(), *want, "group_name({raw:?})");
    }
}

#[test]
fn groups_from_paths() {
    let table: &[(&str, Option<&str>)] = &[
        ("/pets", Some("pets")),
        ("/pets/{id}", Some("pets")),
        ("/v1/customers/{id}", Some("customers")),
        ("/api/v2/users", Some("users")),
        ("/v2beta1/things", Some("things")),
        ("/1.0/things", Some("things")),
        ("/{account}/zones", Some("zones")),
        ("/2fa/enable", Some("two_fa")),
        ("/users/@me/channels", Some("users")),
        ("/stage-instances", Some("stage_instances")),
        ("/", None),
        ("/{id}", None),
        ("", None),
    ];
    for (path, want) in table {
        assert_eq!(group_from_path(path).as_deref(), *want, "group_from_path({path:?})");
    }
}

#[test]
fn method_names_drop_what_the_group_says() {
    // (operation id, group name, method name)
    let table = [
        // The group in front, whatever the separator and case.
        ("actions/cancel-workflow-run", "actions", "cancel_workflow_run"),
        ("markdown/render", "markdown", "render"),
        ("markdown/render-raw", "markdown", "render_raw"),
        ("repos/list-for-org", "repos", "list_for_org"),
        ("audit-logs-get-account-audit-logs", "audit_logs", "get_account_audit_logs"),
        ("Customers_List", "customers", "list"),
        ("instance_list", "instance", "list"),
        ("droplets_list_kernels", "droplets", "list_kernels"),
        ("vpcnatgateways_create", "vpc_nat_gateways", "create"),
        ("urlscanner-get-scan-har", "url_scanner", "get_scan_har"),
        // Repeated, singular the second time.
        ("load-balancers-load-balancer-details", "load_balancers", "details"),
        // A run that starts or ends the group.
        ("workers-ai-post-run-cf-meta-llama", "workers_ai_text_generation", "post_run_cf_meta_llama"),
        ("registry_get_options", "container_registry", "get_options"),
        ("oneClicks_list", "one_click_applications", "list"),
        // After a leading verb (and an article), plural or singular.
        ("listPets", "pets", "list"),
        ("createPets", "pets", "create"),
        ("showPetById", "pets", "show_by_id"),
        ("GetCustomersCustomer", "customers", "get_customer"),
        ("GetCustomersCustomerSources", "customers", "get_customer_sources"),
        ("CreateAlphaSender", "messaging_v1_alpha_sender", "create"),
        ("FetchBrandRegistrations", "messaging_v1_brand_registration", "fetch"),
        ("get_guild", "guilds", "get"),
        ("list_guild_channels", "guilds", "list_channels"),
        ("bulk_ban_users_from_guild", "guilds", "bulk_ban_users_from_guild"),
        ("dns-firewall-update-dns-firewall-cluster", "dns_firewall", "update_cluster"),
        ("magic-wan-connectors-lans-list-lans", "magic_wan_connector_lans", "list"),
        ("radar-get-http-top-locations", "radar_http", "get_top_locations"),
        ("access-groups-get-an-access-group", "access_groups", "get"),
        ("zero-trust-organization-get-your-zero-trust-organization", "zero_trust_organization", "get_your_zero_trust_organization"),
        ("update_my_user", "users", "update_my_user"),
        // An article after the verb goes even without the group.
        ("create-a-destination-address", "email_routing", "create_destination_address"),
        ("getAccountEntrypointRuleset", "account_rulesets", "get_entrypoint_ruleset"),
        // Nothing to drop.
        ("getZoneEntrypointRuleset", "account_rulesets", "get_zone_entrypoint_ruleset"),
        ("cloudflare-d1-list-databases", "d1", "cloudflare_d1_list_databases"),
        ("list", "pets", "list"),
        // Never empty, never a keyword, never digit-leading (made up).
        ("pets", "pets", "pets"),
        ("Pets_Move", "pets", "pets_move"),
        ("pets-2fa", "pets", "pets_2fa"),
        ("2fa-enable", "security", "two_fa_enable"),
        ("type", "pets", "type_"),
        ("self", "pets", "self_"),
    ];
    for (id, group, want) in table {
        let (short, _) = method_from_id(id, group).unwrap();
        assert_eq!(short, want, "method_from_id({id:?}, {group:?})");
    }
}

#[test]
fn full_method_names_keep_every_word() {
    let table = [
        ("listPets", "pets", "list_pets"),
        ("actions/cancel-workflow-run", "actions", "actions_cancel_workflow_run"),
        ("2fa-enable", "security", "two_fa_enable"),
    ];
    for (id, group, want) in table {
        assert_eq!(method_from_id(id, group).unwrap().1, want, "{id}");
    }
    assert_eq!(method_from_id("???", "pets"), None);
    assert_eq!(method_from_id("", "pets"), None);
}

#[test]
fn explicit_method_names() {
    let table = [("list", Some("list")), ("get-by-id", Some("get_by_id")), ("type", Some("type_")), ("", None)];
    for (raw, want) in table {
        assert_eq!(explicit_method(raw).as_deref(), want, "{raw}");
    }
}

#[test]
fn method_names_from_method_and_path() {
    // (HTTP method, path, group, the path also has PATCH, method name)
    let table = [
        ("GET", "/pets", "pets", false, "list"),
        ("GET", "/pets/{id}", "pets", false, "get"),
        ("POST", "/pets", "pets", false, "create"),
        ("POST", "/pets/{id}", "pets", false, "update"),
        ("PATCH", "/pets/{id}", "pets", false, "update"),
        ("PUT", "/pets/{id}", "pets", false, "update"),
        ("PUT", "/pets/{id}", "pets", true, "replace"),
        ("DELETE", "/pets/{id}", "pets", false, "delete"),
        ("GET", "/pets/{id}/photos", "pets", false, "list_photos"),
        ("POST", "/pets/{id}/photos", "pets", false, "create_photo"),
        ("GET", "/pets/{id}/photos/{photo_id}", "pets", false, "get_photo"),
        ("DELETE", "/pets/{id}/photos", "pets", false, "delete_photos"),
        ("GET", "/v1/stores/{id}/pet-policies/{pid}", "stores", false, "get_pet_policy"),
        ("GET", "/pets/search", "pets", false, "search"),
        ("POST", "/runs/{id}/cancel", "runs", false, "cancel"),
        ("POST", "/zones/{id}/dns_records/import", "zones", false, "import_dns_records"),
        ("HEAD", "/pets/{id}", "pets", false, "head"),
        ("GET", "/", "general", false, "list"),
        ("GET", "/2fa", "security", false, "list_2fa"),
    ];
    for (method, path, group, patch, want) in table {
        assert_eq!(method_from_route(method, path, group, patch).0, want, "{method} {path}");
    }
    let table = [
        ("GET", "/pets", "get_pets"),
        ("GET", "/v1/pets/{id}/photos", "get_pets_photos"),
        ("DELETE", "/", "delete"),
    ];
    for (method, path, want) in table {
        assert_eq!(method_from_route(method, path, "pets", false).1, want, "{method} {path}");
    }
}

#[test]
fn singulars() {
    let table = [
        ("pets", "pet"),
        ("policies", "policy"),
        ("boxes", "box"),
        ("addresses", "address"),
        ("branches", "branch"),
        ("status", "status"),
        ("analysis", "analysis"),
        ("lans", "lan"),
        ("ips", "ip"),
        ("us", "us"),
        ("pet", "pet"),
    ];
    for (plural, want) in table {
        assert_eq!(singular(plural), want, "{plural}");
    }
}
