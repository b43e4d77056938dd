package mail

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"time"
)

// The TLS modes of Config.TLS.
const (
	// TLSStartTLS upgrades a plain connection with STARTTLS and refuses servers
	// that do not offer it.
	TLSStartTLS = "starttls"
	// TLSImplicit speaks TLS from the first byte (SMTPS, port 465).
	TLSImplicit = "tls"
	// TLSNone never encrypts; only for relays on the same host or in tests.
	TLSNone = "none"
)

// Defaults applied by NewPool to zero fields of Config.
const (
	DefaultPoolSize = 16
	DefaultTimeout  = 15 * time.Second
)

// Config says how to reach the SMTP relay.
type Config struct {
	Host     string
	Port     int
	Username string
	Password string
	// TLS is TLSStartTLS (default), TLSImplicit or TLSNone.
	TLS string
	// PoolSize is the most connections kept open at once (default 16).
	PoolSize int
	// Timeout bounds the dial and each SMTP command (default 15 s).
	Timeout time.Duration
	// HELO is the name given in EHLO (default: the host name of this machine).
	HELO string
	// InsecureSkipVerify accepts any certificate; for test relays only.
	InsecureSkipVerify bool
}

// ParseURL reads MUSTER_SMTP_URL:
// smtp://user:pass@host:port?tls=starttls|tls|none, or smtps://... for
// implicit TLS. The port defaults to 587 (starttls), 465 (tls) or 25 (none).
// Optional parameters: helo=NAME, timeout=DURATION, insecure_skip_verify=true.
// Errors never repeat the password.
func ParseURL(raw string) (Config, error) {
	u, err := url.Parse(raw)
	if err != nil {
		// url.Parse's error quotes the whole URL, password included.
		return Config{}, errors.New("MUSTER_SMTP_URL is not a valid URL (percent-encode special characters in the user name and password)")
	}
	cfg := Config{Host: u.Hostname()}
	if err := cfg.readScheme(u); err != nil {
		return Config{}, err
	}
	if err := cfg.readQuery(u.Query()); err != nil {
		return Config{}, err
	}
	if err := cfg.readHost(u); err != nil {
		return Config{}, err
	}
	if u.User != nil {
		cfg.Username = u.User.Username()
		cfg.Password, _ = u.User.Password()
	}
	return cfg, cfg.validate()
}

func (c *Config) readScheme(u *url.URL) error {
	switch u.Scheme {
	case "smtp":
		c.TLS = TLSStartTLS
	case "smtps":
		c.TLS = TLSImplicit
	default:
		return fmt.Errorf("MUSTER_SMTP_URL: scheme %q is not smtp or smtps", u.Scheme)
	}
	if u.Path != "" && u.Path != "/" {
		return errors.New("MUSTER_SMTP_URL: a path is not allowed")
	}
	return nil
}

func (c *Config) readQuery(q url.Values) error {
	for key, values := range q {
		v := values[0]
		var err error
		switch key {
		case "tls":
			err = c.readTLS(v)
		case "helo":
			c.HELO = v
		case "timeout":
			c.Timeout, err = time.ParseDuration(v)
		case "insecure_skip_verify":
			c.InsecureSkipVerify, err = strconv.ParseBool(v)
		default:
			err = errors.New("unknown parameter (known: tls, helo, timeout, insecure_skip_verify)")
		}
		if err != nil {
			return fmt.Errorf("MUSTER_SMTP_URL: %s=%q: %w", key, v, err)
		}
	}
	return nil
}

func (c *Config) readTLS(v string) error {
	switch {
	case v != TLSStartTLS && v != TLSImplicit && v != TLSNone:
		return errors.New("want starttls, tls or none")
	case c.TLS == TLSImplicit && v != TLSImplicit:
		return errors.New("smtps:// always means tls=tls")
	}
	c.TLS = v
	return nil
}

func (c *Config) readHost(u *url.URL) error {
	if u.Port() == "" {
		c.Port = defaultPort(c.TLS)
		return nil
	}
	port, err := strconv.Atoi(u.Port())
	if err != nil {
		return fmt.Errorf("MUSTER_SMTP_URL: port %q is not a number", u.Port())
	}
	c.Port = port
	return nil
}

func defaultPort(mode string) int {
	switch mode {
	case TLSImplicit:
		return 465
	case TLSNone:
		return 25
	default:
		return 587
	}
}

// withDefaults fills the zero fields of c.
func (c Config) withDefaults() Config {
	if c.TLS == "" {
		c.TLS = TLSStartTLS
	}
	if c.Port == 0 {
		c.Port = defaultPort(c.TLS)
	}
	if c.PoolSize <= 0 {
		c.PoolSize = DefaultPoolSize
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	return c
}

// validate reports the first problem of c; messages name MUSTER_SMTP_URL
// because that is where an operator fixes them.
func (c Config) validate() error {
	switch {
	case c.Host == "":
		return errors.New("MUSTER_SMTP_URL: the host is missing")
	case c.Port < 1 || c.Port > 65535:
		return fmt.Errorf("MUSTER_SMTP_URL: port %d is out of range", c.Port)
	case c.TLS != TLSStartTLS && c.TLS != TLSImplicit && c.TLS != TLSNone:
		return fmt.Errorf("MUSTER_SMTP_URL: tls=%q is not starttls, tls or none", c.TLS)
	case (c.Username == "") != (c.Password == ""):
		return errors.New("MUSTER_SMTP_URL: give both a user name and a password, or neither")
	case c.Username != "" && c.TLS == TLSNone && !isLoopback(c.Host):
		return fmt.Errorf("MUSTER_SMTP_URL: tls=none would send the password unencrypted to %s; use tls=starttls or tls=tls", c.Host)
	}
	return nil
}

// isLoopback matches go-mail's rule for allowing PLAIN/LOGIN without TLS.
func isLoopback(host string) bool {
	return host == "localhost" || host == "127.0.0.1" || host == "::1"
}

// String returns c as a MUSTER_SMTP_URL with the password masked, for logs.
func (c Config) String() string {
	c = c.withDefaults()
	u := url.URL{Scheme: "smtp", Host: net.JoinHostPort(c.Host, strconv.Itoa(c.Port))}
	if c.Username != "" {
		u.User = url.UserPassword(c.Username, "xxxxx")
	}
	q := url.Values{"tls": {c.TLS}}
	if c.HELO != "" {
		q.Set("helo", c.HELO)
	}
	if c.InsecureSkipVerify {
		q.Set("insecure_skip_verify", "true")
	}
	u.RawQuery = q.Encode()
	return u.String()
}
