package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// tokenRefreshMargin is how long before its expiry a cached token stops
// being used: a token that expires in the middle of a slow request would
// otherwise be refused.
const tokenRefreshMargin = 60 * time.Second

// tokenCache keeps client-credentials access tokens between runs of
// `cognate call`, one file per token endpoint, client and scope set, in a
// directory only the user may read. The files hold the token and its
// expiry; never the client secret.
type tokenCache struct {
	dir string
	now func() time.Time
}

// cachedToken is the content of one cache file.
type cachedToken struct {
	AccessToken string    `json:"access_token"`
	ExpiresAt   time.Time `json:"expires_at"`
}

// defaultTokenCacheDir is $XDG_CONFIG_HOME/cognate/tokens on Linux
// (~/.config/cognate/tokens), or the platform's equivalent.
func defaultTokenCacheDir() (string, error) {
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find the user's config dir for the token cache: %w (set $HOME or $XDG_CONFIG_HOME, or pass --no-cache)", err)
	}
	return filepath.Join(base, "cognate", "tokens"), nil
}

// tokenCacheKey names a cached token by what the token depends on: the
// token endpoint (the server and the domain), the client id and the scope
// set, in any order. It is a hash, so the file name reveals none of them;
// the secret is not part of it.
func tokenCacheKey(tokenURL, clientID string, scopes []string) string {
	s := slices.Clone(scopes)
	slices.Sort(s)
	s = slices.Compact(s)
	h := sha256.Sum256([]byte(tokenURL + "\x00" + clientID + "\x00" + strings.Join(s, " ")))
	return hex.EncodeToString(h[:])
}

func (c *tokenCache) path(key string) string { return filepath.Join(c.dir, key+".json") }

// get returns the cached token under key when it is still good for
// tokenRefreshMargin, or "". An unreadable, malformed or too widely
// readable file counts as no token.
func (c *tokenCache) get(key string) string {
	p := c.path(key)
	fi, err := os.Stat(p)
	if err != nil || !fi.Mode().IsRegular() || fi.Mode().Perm()&0o077 != 0 {
		return ""
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return ""
	}
	var ct cachedToken
	if json.Unmarshal(b, &ct) != nil || ct.AccessToken == "" {
		return ""
	}
	if !c.now().Add(tokenRefreshMargin).Before(ct.ExpiresAt) {
		return ""
	}
	return ct.AccessToken
}

// put stores the token under key, replacing the file atomically. The
// directory is made 0700 and the file 0600.
func (c *tokenCache) put(key, token string, expiresAt time.Time) error {
	if err := os.MkdirAll(c.dir, 0o700); err != nil {
		return fmt.Errorf("create the token cache dir %s: %w", c.dir, err)
	}
	if fi, err := os.Stat(c.dir); err == nil && fi.Mode().Perm() != 0o700 {
		if err := os.Chmod(c.dir, 0o700); err != nil {
			return fmt.Errorf("make the token cache dir %s private (0700): %w", c.dir, err)
		}
	}
	b, err := json.Marshal(cachedToken{AccessToken: token, ExpiresAt: expiresAt.UTC()})
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(c.dir, ".tmp-*") // created 0600
	if err != nil {
		return fmt.Errorf("write the token cache: %w", err)
	}
	_, werr := f.Write(b)
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("write the token cache file %s: %w", f.Name(), err)
	}
	if err := os.Rename(f.Name(), c.path(key)); err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("write the token cache file %s: %w", c.path(key), err)
	}
	return nil
}

// drop forgets the token under key.
func (c *tokenCache) drop(key string) error {
	if err := os.Remove(c.path(key)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove the cached token %s: %w", c.path(key), err)
	}
	return nil
}
