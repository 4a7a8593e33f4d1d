// Effective configuration of the baladiya program. Each setting comes, in order of precedence,
// from a command-line flag (--port 8080 or --port=8080), the environment (BALADIYA_PORT), an
// optional file (--config FILE or BALADIYA_CONFIG; lines "port = 8080", '#' comments), or its
// default.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "platform/module/module.h"
#include "platform/result.h"

namespace baladiya::app {

struct Config {
  std::string address = "127.0.0.1";
  int port = 8080;
  int threads = 1;
  std::string database = "var/baladiya.db";
  std::string synchronous = "normal";
  int db_pool = 4;
  std::string log_level = "info";
  std::string key_file = "var/keys";
  int hash_threads = 0;     // 0: half the cores, at least one
  int offload_threads = 8;  // mostly waiting for the single SQLite writer: more lets commits group
  int checkpoint_seconds = 60;
  bool hsts = false;
  bool trust_proxy = false;     // shorthand: trusted_proxies plus 127.0.0.1 and ::1
  std::string trusted_proxies;  // addresses / networks of the reverse proxies in front
  std::string metrics_token;    // /metrics needs "Authorization: Bearer <it>"; empty: not served
  std::string audit_witness;    // a file outside the database that keeps audit checkpoints
  int max_connections_per_address = 64;
  int max_body_kb = 5120;  // an upload of up to 4 MiB (cases::kMaxAttachmentBytes) fits
  int max_upload_mb = 64;  // a form with a larger file is read and trimmed, answered on the form
  int max_header_kb = 16;
  int read_timeout_ms = 10000;
  int idle_timeout_ms = 30000;
  int max_connections = 2048;
  int max_in_flight = 1024;
  // Notifications (notify): email over SMTP, SMS through an HTTP gateway; a drop folder instead
  // for development and the demo. A channel with neither fails its messages as not configured.
  std::string smtp_url;  // "smtp://host:587" (STARTTLS when offered) or "smtps://host:465"
  std::string smtp_from = "Baladiya <no-reply@baladiya.invalid>";
  std::string smtp_user;
  std::string smtp_password;
  bool smtp_require_tls = true;  // but never for a relay on this machine (notify::SmtpIsLocal)
  std::string sms_url;           // the gateway's send endpoint (POST JSON)
  std::string sms_token;
  // The card payment provider (payments/card.h): its base URL (empty: no card payments), the
  // merchant's API key and the secret its notifications are signed with.
  std::string card_provider_url;
  std::string card_provider_key;
  std::string card_provider_secret;
  // Identity proofing through the municipality's X-Road security server (interop/registry.h):
  // its base URL (empty: no registry, verification at the counter), our subsystem, the civil
  // registry's service, the time allowed per attempt and the legal basis recorded with each query.
  std::string civil_registry_url;
  std::string xroad_client = "PS/GOV/BALADIYA/e-services";
  std::string civil_registry_service = "PS/GOV/MOI/civil-registry/verifyPerson";
  int civil_registry_timeout_ms = 1500;
  std::string civil_registry_legal_basis =
      "Identity proofing for municipal e-services at the resident's request";
  std::string sms_sender = "Baladiya";
  std::string mail_drop;  // folder: email and SMS written as files when no server is configured
  int notify_seconds = 5;
  int reopen_days = 30;  // how long after closing an applicant may reopen a case
  int draft_days = 30;   // how long an unsubmitted draft is kept after its last change
  // Where clients reach the platform from outside ("https://baladiya.example.ps"): Open311's
  // discovery names its endpoint with it. Empty: the Host of each request.
  std::string public_url;
  // The optional map beside location fields (render::MapConfig): a tile server's URL template
  // ("https://tiles.example.ps/{z}/{x}/{y}.png"; empty: no map, no map script, CSP unchanged),
  // the attribution its licence asks for, and where maps open per municipality
  // ("slug=lat,lng ...").
  std::string map_tiles_url;
  std::string map_attribution;
  std::string map_centres =
      "hebron=31.5326,35.0998 nablus=32.2211,35.2544 ramallah=31.9038,35.2034";
};

// Where each setting's value came from: "flag", "env", "file" or "default".
using Sources = std::map<std::string, std::string>;

struct Loaded {
  Config config;
  Sources sources;
  std::vector<std::string> rest;  // arguments that are not settings (e.g. "--demo", "--help")
};

// Builds the configuration from args (without the program and command names), the environment
// (env: "NAME=value" strings, as in environ) and the optional file. kInvalid names the setting
// and the bad value, or the unreadable file.
Result<Loaded> LoadConfig(const std::vector<std::string>& args,
                          const std::vector<std::string>& env);

// One line per setting: "name = value  (source)", secrets masked. For --print-config.
std::string DescribeConfig(const Loaded& loaded);

// The settings' names, flags and one-line descriptions, for --help.
std::string SettingsHelp();

// Every setting by name, as modules read them (module::Settings).
module::Settings SettingsOf(const Config& config);
// The same as plain text by name (what the test harness takes, platform/testing/web_harness.h).
std::map<std::string, std::string> SettingValues(const Config& config);

// "postgresql://user:secret@host/db" -> "postgresql://user:****@host/db"; other text unchanged.
std::string MaskSecret(const std::string& url);

}  // namespace baladiya::app
