package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// Config is the server's whole configuration.
type Config struct {
	Listen          string // host:port, default 127.0.0.1:4566
	DataDir         string // SQLite store and generated master key, default ./.cognate
	Store           string // "" (SQLite in DataDir) or a postgres:// URL
	Region          string // default region for calls without a SigV4 scope
	AccountID       string // 12 digits, used in ARNs
	PublicURL       string // base URL in issuers and discovery; "" = PublicURLFor(the bound address)
	IssuerStyle     string // "local" or "aws"
	AccessKeyID     string // admin credentials; both empty = accept any key (loopback only)
	SecretAccessKey string
	MasterKey       string // hex or base64 of 32 bytes, from COGNATE_MASTER_KEY
	MasterKeyFile   string // path of a file holding the master key
	AllowReset      bool   // allow POST /_cognate/reset on a non-loopback listener
	LogFormat       string // json or text
	LogLevel        string // debug, info, warn, error
	Version         string // the binary's version, for banners and logs
	// ExplainDenials adds an x-cognate-reason header to the gateway's
	// denials when the listener is a loopback address (default true).
	ExplainDenials bool
	// GatewayTimeout is the integration timeout of gateway routes whose
	// definition sets none (API Gateway's 29 s by default).
	GatewayTimeout time.Duration
}

// Default returns the defaults of `cognate up`.
func Default() Config {
	return Config{Listen: "127.0.0.1:4566", DataDir: ".cognate", Region: "us-east-1",
		AccountID: "000000000000", IssuerStyle: "local", LogFormat: "text", LogLevel: "info",
		ExplainDenials: true, GatewayTimeout: 29 * time.Second}
}

// Env names that config reads.
const (
	EnvMasterKey       = "COGNATE_MASTER_KEY"
	EnvAccessKeyID     = "COGNATE_ACCESS_KEY_ID"
	EnvSecretAccessKey = "COGNATE_SECRET_ACCESS_KEY"
)

// ApplyEnv fills fields that are still empty from the environment, read
// through getenv (os.Getenv in main).
func (c *Config) ApplyEnv(getenv func(string) string) {
	if c.MasterKey == "" {
		c.MasterKey = getenv(EnvMasterKey)
	}
	if c.AccessKeyID == "" {
		c.AccessKeyID = getenv(EnvAccessKeyID)
	}
	if c.SecretAccessKey == "" {
		c.SecretAccessKey = getenv(EnvSecretAccessKey)
	}
}

var (
	accountRe = regexp.MustCompile(`^\d{12}$`)
	regionRe  = regexp.MustCompile(`^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$`)
)

// Validate checks the whole Config and returns every problem found,
// joined.
func (c *Config) Validate() error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }

	host, _, err := net.SplitHostPort(c.Listen)
	if err != nil {
		add("--listen %q: want host:port, e.g. 127.0.0.1:4566", c.Listen)
	}
	if !regionRe.MatchString(c.Region) {
		add("--region %q: want an AWS region name such as us-east-1", c.Region)
	}
	if !accountRe.MatchString(c.AccountID) {
		add("--account-id %q: want 12 digits", c.AccountID)
	}
	switch c.IssuerStyle {
	case "local", "aws":
	default:
		add("--issuer-style %q: want local or aws", c.IssuerStyle)
	}
	switch c.LogFormat {
	case "json", "text":
	default:
		add("--log-format %q: want json or text", c.LogFormat)
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		add("--log-level %q: want debug, info, warn or error", c.LogLevel)
	}
	if (c.AccessKeyID == "") != (c.SecretAccessKey == "") {
		add("admin credentials: set both --access-key-id and --secret-access-key (or %s and %s), or neither", EnvAccessKeyID, EnvSecretAccessKey)
	}
	if err == nil && !IsLoopbackHost(host) && c.AccessKeyID == "" {
		add("--listen %s is not a loopback address: admin calls would be open to the network. Set --access-key-id and --secret-access-key (or %s and %s) so that SigV4 signatures are verified, or listen on 127.0.0.1", c.Listen, EnvAccessKeyID, EnvSecretAccessKey)
	}
	if c.PublicURL == "" && (c.IsPostgres() || (err == nil && !IsLoopbackHost(host))) {
		// Tokens carry the public URL in iss and discovery documents in
		// every endpoint: nodes that each derived their own from their
		// listener would issue tokens no single verifier accepts, and
		// 0.0.0.0 would advertise 127.0.0.1 to remote clients.
		add("--public-url is required with a PostgreSQL store or a non-loopback --listen: set it to the URL clients reach Cognate at " +
			"(the load balancer's, e.g. https://auth.example.com), the same on every node")
	}
	if c.IsPostgres() {
		if c.MasterKey == "" && c.MasterKeyFile == "" {
			add("--store is PostgreSQL: every node must share one master key; set %s or --master-key-file (generate one with: openssl rand -hex 32)", EnvMasterKey)
		}
	} else if c.Store != "" {
		add("--store %q: want a postgres:// URL (leave it empty for the embedded SQLite store in --data)", c.Store)
	}
	if c.MasterKey != "" && c.MasterKeyFile != "" {
		add("set either %s or --master-key-file, not both", EnvMasterKey)
	}
	if c.PublicURL != "" {
		if u, perr := url.Parse(c.PublicURL); perr != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
			add("--public-url %q: want a base URL such as http://127.0.0.1:4566 (scheme and host, no path)", c.PublicURL)
		}
	}
	if c.GatewayTimeout < 50*time.Millisecond || c.GatewayTimeout > MaxGatewayTimeout {
		// API Gateway's range is 50 ms to 29 s, raisable for Regional
		// APIs [doc]; the server's write timeout bounds it here.
		add("--gateway-timeout %s: want between 50ms and %s", c.GatewayTimeout, MaxGatewayTimeout)
	}
	c.PublicURL = strings.TrimRight(c.PublicURL, "/")
	return errors.Join(errs...)
}

// MaxGatewayTimeout is the longest --gateway-timeout: the listener's
// write timeout leaves room for it.
const MaxGatewayTimeout = 5 * time.Minute

// PublicURLFor is the default public URL of a server listening on addr
// (host:port as bound): http://{addr}, with a wildcard host replaced by
// 127.0.0.1.
func PublicURLFor(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// IsPostgres reports whether the store is PostgreSQL.
func (c *Config) IsPostgres() bool {
	return strings.HasPrefix(c.Store, "postgres://") || strings.HasPrefix(c.Store, "postgresql://")
}

// SQLitePath is the path of the embedded store's database file.
func (c *Config) SQLitePath() string { return filepath.Join(c.DataDir, "cognate.db") }

// GeneratedMasterKeyPath is where a master key is generated when none is
// given (SQLite only).
func (c *Config) GeneratedMasterKeyPath() string { return filepath.Join(c.DataDir, "master.key") }

// IsLoopbackHost reports whether a listen host only accepts local
// connections.
func IsLoopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
