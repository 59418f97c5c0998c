package sigv4

import "log/slog"

// Credentials is one configured access key pair. Its String, GoString and
// LogValue methods never print the secret.
type Credentials struct {
	AccessKeyID     string
	SecretAccessKey string
}

// String returns the access key id with the secret redacted.
func (c Credentials) String() string { return c.AccessKeyID + ":REDACTED" }

// GoString is like String, so %#v does not print the secret either.
func (c Credentials) GoString() string { return "sigv4.Credentials{" + c.String() + "}" }

// LogValue keeps the secret out of slog output.
func (c Credentials) LogValue() slog.Value {
	return slog.GroupValue(slog.String("access_key_id", c.AccessKeyID))
}

// StaticLookup returns a credential lookup over a fixed set of key pairs, for
// Config.Lookup. Later entries win when an access key id repeats. The slice is
// copied, so the caller may reuse it.
func StaticLookup(creds ...Credentials) func(accessKeyID string) (secret string, ok bool) {
	m := make(map[string]string, len(creds))
	for _, c := range creds {
		m[c.AccessKeyID] = c.SecretAccessKey
	}
	return func(id string) (string, bool) {
		s, ok := m[id]
		return s, ok
	}
}
