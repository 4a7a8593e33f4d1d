#include "app/config.h"

#include <charconv>
#include <fstream>
#include <functional>
#include <sstream>

#include "platform/http/client_address.h"
#include "platform/render/map.h"

namespace baladiya::app {
namespace {

struct Setting {
  const char* name;  // flag "--name", env "BALADIYA_NAME" (upper-case, '-' -> '_'), file "name"
  const char* help;
  bool secret;
  std::function<bool(Config&, const std::string&)> set;
  std::function<std::string(const Config&)> get;
  // Why a value was refused, for the start-up error (empty: "invalid value" alone says it).
  std::function<std::string(const std::string&)> why = nullptr;
};

bool ParseInt(const std::string& s, int min, int max, int& out) {
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v < min || v > max) return false;
  out = v;
  return true;
}

Setting IntSetting(const char* name, const char* help, int Config::*field, int min, int max) {
  return {name, help, false,
          [=](Config& c, const std::string& v) { return ParseInt(v, min, max, c.*field); },
          [=](const Config& c) { return std::to_string(c.*field); }};
}

Setting TextSetting(const char* name, const char* help, std::string Config::*field, bool secret,
                    const std::function<bool(const std::string&)>& valid) {
  return {name, help, secret,
          [=](Config& c, const std::string& v) {
            if (!valid(v)) return false;
            c.*field = v;
            return true;
          },
          [=](const Config& c) { return c.*field; }};
}

bool NotEmpty(const std::string& v) { return !v.empty(); }
bool AnyText(const std::string&) { return true; }

// Empty, or an http(s) URL without a trailing slash, spaces or a query.
bool PublicUrl(const std::string& v) {
  if (v.empty()) return true;
  const bool scheme = v.starts_with("https://") || v.starts_with("http://");
  const size_t host = v.find("://") + 3;
  return scheme && v.size() > host && v.back() != '/' &&
         v.find_first_of(" \t?#\"<>") == std::string::npos;
}

// A text setting whose check explains a refusal: check returns "" for a good value.
Setting ExplainedSetting(const char* name, const char* help, std::string Config::*field,
                         std::function<std::string(const std::string&)> check) {
  Setting s = TextSetting(name, help, field, false,
                          [check](const std::string& v) { return check(v).empty(); });
  s.why = std::move(check);
  return s;
}

std::string TileTemplate(const std::string& v) {
  if (v.empty()) return {};
  std::string why = render::CheckTileTemplate(v);
  return why.empty() ? why
                     : "not a tile URL template the map can use: " + why +
                           " (e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png)";
}

std::string Centres(const std::string& v) {
  std::string why = render::ParseCentres(v, nullptr);
  return why.empty() ? why : why + " (write slug=lat,lng separated by spaces)";
}

Setting BoolSetting(const char* name, const char* help, bool Config::*field) {
  return {name, help, false,
          [=](Config& c, const std::string& v) {
            if (v != "true" && v != "false") return false;
            c.*field = v == "true";
            return true;
          },
          [=](const Config& c) { return std::string(c.*field ? "true" : "false"); }};
}

const std::vector<Setting>& Settings() {
  static const std::vector<Setting> kSettings = {
      TextSetting("address", "IP address to listen on", &Config::address, false, NotEmpty),
      IntSetting("port", "TCP port to listen on (0 picks a free one)", &Config::port, 0, 65535),
      IntSetting("threads", "HTTP I/O threads", &Config::threads, 1, 64),
      TextSetting("database", "SQLite file path, or postgresql://user:pass@host:port/db",
                  &Config::database, true, NotEmpty),
      TextSetting("synchronous", "SQLite durability: normal or full", &Config::synchronous, false,
                  [](const std::string& v) { return v == "normal" || v == "full"; }),
      IntSetting("db-pool", "read connections (SQLite) or pooled connections (PostgreSQL)",
                 &Config::db_pool, 1, 256),
      TextSetting("log-level", "trace, debug, info, warn, error or off", &Config::log_level, false,
                  [](const std::string& v) {
                    for (const char* l : {"trace", "debug", "info", "warn", "error", "off"}) {
                      if (v == l) return true;
                    }
                    return false;
                  }),
      TextSetting("key-file", "the platform's keys (created on first run with mode 0600)",
                  &Config::key_file, false, NotEmpty),
      IntSetting("hash-threads",
                 "threads that hash passwords, at low priority (a login flood queues there); "
                 "0 = half the cores",
                 &Config::hash_threads, 0, 64),
      IntSetting("offload-threads", "threads that handle form posts, off the I/O threads",
                 &Config::offload_threads, 1, 256),
      IntSetting("checkpoint-seconds", "how often the audit log's signed checkpoint is written",
                 &Config::checkpoint_seconds, 1, 86400),
      BoolSetting("hsts",
                  "served over TLS: send Strict-Transport-Security and Secure cookies (true or "
                  "false)",
                  &Config::hsts),
      BoolSetting("trust-proxy",
                  "behind a reverse proxy on this machine: trust 127.0.0.1 and ::1 as proxies "
                  "(as if listed in trusted-proxies) (true or false)",
                  &Config::trust_proxy),
      ExplainedSetting("trusted-proxies",
                       "reverse proxies in front of the server, as addresses or networks "
                       "(\"127.0.0.1 10.0.0.0/8\"): X-Forwarded-For is walked from the right past "
                       "them and the first other address is the client; empty = none",
                       &Config::trusted_proxies,
                       [](const std::string& v) {
                         auto t = http::TrustedProxies::Parse(v);
                         return t.ok() ? std::string() : t.error().detail;
                       }),
      TextSetting("metrics-token",
                  "bearer token /metrics asks for (Authorization: Bearer TOKEN); empty = "
                  "/metrics is not served",
                  &Config::metrics_token, true, AnyText),
      TextSetting("audit-witness",
                  "file outside the database (another disk) where every signed audit checkpoint "
                  "is appended; the server refuses to sign over a log that no longer extends it; "
                  "empty = no witness",
                  &Config::audit_witness, false, AnyText),
      IntSetting("max-connections-per-address",
                 "open connections from one client address (an IPv6 /64) before answering 503; "
                 "trusted proxies are not capped; 0 = no cap",
                 &Config::max_connections_per_address, 0, 1000000),
      IntSetting("max-body-kb", "largest request body accepted, in KiB", &Config::max_body_kb, 1,
                 1024 * 1024),
      IntSetting("max-upload-mb",
                 "a form upload over max-body-kb but at most this long is read and its file "
                 "refused on the form (a field error, other answers kept); 0 = refuse it whole",
                 &Config::max_upload_mb, 0, 4096),
      IntSetting("max-header-kb", "largest request header block accepted, in KiB",
                 &Config::max_header_kb, 1, 1024),
      IntSetting("read-timeout-ms", "time allowed to read one request", &Config::read_timeout_ms,
                 100, 600000),
      IntSetting("idle-timeout-ms", "keep-alive wait for the next request",
                 &Config::idle_timeout_ms, 100, 3600000),
      IntSetting("max-connections", "open connections before answering 503",
                 &Config::max_connections, 1, 1000000),
      IntSetting("max-in-flight", "requests handled at once before answering 503",
                 &Config::max_in_flight, 1, 1000000),
      TextSetting("smtp-url",
                  "SMTP server for email: smtp://host:587 (STARTTLS when offered) or "
                  "smtps://host:465; empty = no email server",
                  &Config::smtp_url, true, AnyText),
      TextSetting("smtp-from", "sender of notification email, e.g. Baladiya <no-reply@city.ps>",
                  &Config::smtp_from, false, NotEmpty),
      TextSetting("smtp-user", "SMTP login name (empty = no login)", &Config::smtp_user, false,
                  AnyText),
      TextSetting("smtp-password", "SMTP password", &Config::smtp_password, true, AnyText),
      BoolSetting("smtp-require-tls",
                  "refuse to send email over an unencrypted connection (a relay on this "
                  "machine, 127.0.0.1 or localhost, is exempt)",
                  &Config::smtp_require_tls),
      TextSetting("sms-url", "SMS gateway send endpoint (POST JSON {to, text, sender, reference})",
                  &Config::sms_url, true, AnyText),
      TextSetting("sms-token",
                  "bearer token sent to the SMS gateway; the gateway's delivery receipts must "
                  "carry it too",
                  &Config::sms_token, true, AnyText),
      TextSetting("card-provider-url",
                  "base URL of the card payment provider's API (docs/PAYMENT-PROVIDERS.md); empty "
                  "= no card payments",
                  &Config::card_provider_url, false, AnyText),
      TextSetting("card-provider-key", "the merchant's API key at the card payment provider",
                  &Config::card_provider_key, true, AnyText),
      TextSetting("card-provider-secret",
                  "the secret the card payment provider signs its notifications with",
                  &Config::card_provider_secret, true, AnyText),
      TextSetting("civil-registry-url",
                  "base URL of the municipality's X-Road security server for identity checks "
                  "against the civil registry; empty = verification at the counter only",
                  &Config::civil_registry_url, false, AnyText),
      TextSetting("xroad-client",
                  "the municipality's X-Road subsystem (INSTANCE/CLASS/MEMBER/"
                  "SUBSYSTEM), sent as X-Road-Client",
                  &Config::xroad_client, false, NotEmpty),
      TextSetting("civil-registry-service",
                  "the civil registry's X-Road service (INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE)",
                  &Config::civil_registry_service, false, NotEmpty),
      IntSetting("civil-registry-timeout-ms", "time allowed for one attempt at the civil registry",
                 &Config::civil_registry_timeout_ms, 50, 60000),
      TextSetting("civil-registry-legal-basis",
                  "the legal basis recorded with every civil registry query",
                  &Config::civil_registry_legal_basis, false, NotEmpty),
      TextSetting("sms-sender", "sender name shown on SMS", &Config::sms_sender, false, NotEmpty),
      TextSetting("mail-drop",
                  "development only: write email and SMS as files into this folder when no SMTP "
                  "server or SMS gateway is configured",
                  &Config::mail_drop, false, AnyText),
      IntSetting("notify-seconds", "how often queued notifications are looked for",
                 &Config::notify_seconds, 1, 3600),
      IntSetting("reopen-days", "days after closing during which an applicant may reopen a case",
                 &Config::reopen_days, 0, 3650),
      IntSetting("draft-days",
                 "days an application draft is kept after its last change; an older draft that "
                 "was never submitted is deleted with its files",
                 &Config::draft_days, 1, 3650),
      TextSetting("public-url",
                  "where clients reach the platform, e.g. https://baladiya.example.ps (named by "
                  "Open311 discovery); empty = each request's Host",
                  &Config::public_url, false, PublicUrl),
      ExplainedSetting("map-tiles-url",
                       "tile server for the optional map beside location fields, a URL template "
                       "such as https://tile.openstreetmap.org/{z}/{x}/{y}.png; empty = no map",
                       &Config::map_tiles_url, TileTemplate),
      ExplainedSetting("map-attribution",
                       "text shown under every map, as the tile server's licence asks (e.g. "
                       "© OpenStreetMap contributors)",
                       &Config::map_attribution,
                       [](const std::string& v) {
                         return v.size() <= 300 ? std::string() : "at most 300 bytes";
                       }),
      ExplainedSetting("map-centres",
                       "where maps open, per municipality: slug=lat,lng separated by spaces; "
                       "others show the whole region",
                       &Config::map_centres, Centres),
  };
  return kSettings;
}

std::string EnvName(const std::string& name) {
  std::string out = "BALADIYA_";
  for (char c : name) out.push_back(c == '-' ? '_' : static_cast<char>(std::toupper(c)));
  return out;
}

const Setting* FindSetting(const std::string& name) {
  for (const auto& s : Settings()) {
    if (name == s.name) return &s;
  }
  return nullptr;
}

Error Bad(const std::string& what) { return MakeError(ErrorCode::kInvalid, "error.invalid", what); }

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r");
  size_t e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

// Parses "name = value" lines into pairs.
Result<std::vector<std::pair<std::string, std::string>>> ReadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Bad("cannot read config file " + path);
  std::vector<std::pair<std::string, std::string>> out;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    std::string t = Trim(line);
    if (t.empty() || t[0] == '#') continue;
    size_t eq = t.find('=');
    if (eq == std::string::npos) {
      return Bad(path + ":" + std::to_string(number) + ": expected 'name = value'");
    }
    out.emplace_back(Trim(t.substr(0, eq)), Trim(t.substr(eq + 1)));
  }
  return out;
}

}  // namespace

Result<Loaded> LoadConfig(const std::vector<std::string>& args,
                          const std::vector<std::string>& env) {
  Loaded loaded;
  std::vector<std::pair<std::string, std::string>> flags;
  std::string config_file;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (!a.starts_with("--")) {
      loaded.rest.push_back(a);
      continue;
    }
    std::string name = a.substr(2);
    std::string value;
    bool has_value = false;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      has_value = true;
    }
    if (name != "config" && !FindSetting(name)) {
      loaded.rest.push_back(a);
      continue;
    }
    if (!has_value) {
      if (i + 1 >= args.size()) return Bad("--" + name + " needs a value");
      value = args[++i];
    }
    if (name == "config") {
      config_file = value;
    } else {
      flags.emplace_back(name, value);
    }
  }
  std::map<std::string, std::string> env_map;
  for (const auto& e : env) {
    size_t eq = e.find('=');
    if (eq != std::string::npos && e.starts_with("BALADIYA_")) {
      env_map[e.substr(0, eq)] = e.substr(eq + 1);
    }
  }
  if (config_file.empty() && env_map.count("BALADIYA_CONFIG"))
    config_file = env_map["BALADIYA_CONFIG"];

  auto apply = [&](const std::string& name, const std::string& value,
                   const std::string& source) -> Status {
    const Setting* s = FindSetting(name);
    if (!s) return Bad("unknown setting '" + name + "' in " + source);
    if (!s->set(loaded.config, value)) {
      std::string why = s->why ? " — " + s->why(value) : std::string();
      return Bad("invalid value for " + name + " (" + source +
                 "): " + (s->secret ? MaskSecret(value) : value) + why);
    }
    loaded.sources[name] = source;
    return Ok();
  };
  if (!config_file.empty()) {
    auto lines = ReadFile(config_file);
    if (!lines.ok()) return std::move(lines).error();
    for (const auto& [k, v] : *lines) {
      if (Status st = apply(k, v, "file"); !st.ok()) return std::move(st).error();
    }
  }
  for (const auto& s : Settings()) {
    auto it = env_map.find(EnvName(s.name));
    if (it == env_map.end()) continue;
    if (Status st = apply(s.name, it->second, "env"); !st.ok()) return std::move(st).error();
  }
  for (const auto& [k, v] : flags) {
    if (Status st = apply(k, v, "flag"); !st.ok()) return std::move(st).error();
  }
  return loaded;
}

std::string MaskSecret(const std::string& url) {
  size_t scheme = url.find("://");
  size_t at = url.find('@');
  if (scheme == std::string::npos || at == std::string::npos || at < scheme) return url;
  size_t colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "****" + url.substr(at);
}

std::string DescribeConfig(const Loaded& loaded) {
  std::ostringstream out;
  for (const auto& s : Settings()) {
    std::string value = s.get(loaded.config);
    if (s.secret)
      value = value.find("://") == std::string::npos && !value.empty() ? std::string("****")
                                                                       : MaskSecret(value);
    auto it = loaded.sources.find(s.name);
    out << s.name << " = " << value << "  ("
        << (it == loaded.sources.end() ? "default" : it->second) << ")\n";
  }
  return out.str();
}

std::string SettingsHelp() {
  std::ostringstream out;
  for (const auto& s : Settings()) {
    out << "  --" << s.name << " VALUE";
    out << "\n      " << s.help << " [env " << EnvName(s.name) << "]\n";
  }
  out << "  --config FILE\n      read settings from FILE (lines 'name = value') [env "
         "BALADIYA_CONFIG]\n";
  return out.str();
}

std::map<std::string, std::string> SettingValues(const Config& config) {
  std::map<std::string, std::string> values;
  for (const Setting& s : Settings()) values[s.name] = s.get(config);
  return values;
}

module::Settings SettingsOf(const Config& config) {
  auto values = SettingValues(config);
  return module::Settings(
      std::map<std::string, std::string, std::less<>>(values.begin(), values.end()));
}

}  // namespace baladiya::app
