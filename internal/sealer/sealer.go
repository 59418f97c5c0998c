package sealer

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// KeySize is the master key length in bytes (AES-256).
const KeySize = 32

const version = 1

// ErrOpen is returned when a sealed value cannot be opened: wrong master
// key, wrong record binding, or corrupted data.
var ErrOpen = errors.New("sealer: cannot open sealed value (wrong master key or corrupted data)")

// Sealer seals and opens secrets under one master key. It is safe for
// concurrent use.
type Sealer struct {
	aead cipher.AEAD
	id   string
}

// New returns a Sealer for a 32-byte master key.
func New(key []byte) (*Sealer, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("sealer: master key must be %d bytes, got %d", KeySize, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(append([]byte("cognate-master-key-id:"), key...))
	return &Sealer{aead: aead, id: hex.EncodeToString(sum[:8])}, nil
}

// KeyID is a short, non-secret fingerprint of the master key, safe to log.
func (s *Sealer) KeyID() string { return s.id }

// Seal encrypts plaintext, binding it to aad.
func (s *Sealer) Seal(plaintext []byte, aad string) []byte {
	out := make([]byte, 1+s.aead.NonceSize(), 1+s.aead.NonceSize()+len(plaintext)+s.aead.Overhead())
	out[0] = version
	if _, err := rand.Read(out[1:]); err != nil {
		panic("sealer: crypto/rand failed: " + err.Error())
	}
	return s.aead.Seal(out, out[1:1+s.aead.NonceSize()], plaintext, []byte(aad))
}

// Open decrypts a value made by Seal with the same aad.
func (s *Sealer) Open(sealed []byte, aad string) ([]byte, error) {
	ns := s.aead.NonceSize()
	if len(sealed) < 1+ns+s.aead.Overhead() || sealed[0] != version {
		return nil, ErrOpen
	}
	pt, err := s.aead.Open(nil, sealed[1:1+ns], sealed[1+ns:], []byte(aad))
	if err != nil {
		return nil, ErrOpen
	}
	return pt, nil
}

// ParseKey decodes a master key given as 64 hex characters or as standard
// or URL-safe base64 of 32 bytes. Surrounding whitespace is ignored.
func ParseKey(text string) ([]byte, error) {
	text = strings.TrimSpace(text)
	if b, err := hex.DecodeString(text); err == nil && len(b) == KeySize {
		return b, nil
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(text); err == nil && len(b) == KeySize {
			return b, nil
		}
	}
	return nil, errors.New("master key must be 32 bytes written as 64 hex characters or base64 (generate one with: openssl rand -hex 32)")
}

// LoadOrCreateKeyFile reads the master key from path, or, when the file does
// not exist, generates a new random key and writes it there with mode 0600
// (the directory is created with 0700). created reports which happened.
func LoadOrCreateKeyFile(path string) (key []byte, created bool, err error) {
	data, err := os.ReadFile(path)
	if err == nil {
		k, perr := ParseKey(string(data))
		if perr != nil {
			return nil, false, fmt.Errorf("master key file %s: %w", path, perr)
		}
		return k, false, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, false, fmt.Errorf("read master key file: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, false, fmt.Errorf("create data dir: %w", err)
	}
	k := make([]byte, KeySize)
	if _, err := rand.Read(k); err != nil {
		return nil, false, err
	}
	// Write a temp file and hard-link it into place: the link fails if
	// another process won the race, and then we read the winner's key, so
	// two nodes starting at once on an empty dir never use different keys.
	tmp, err := os.CreateTemp(filepath.Dir(path), ".master-key-*")
	if err != nil {
		return nil, false, fmt.Errorf("create master key file: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return nil, false, err
	}
	if _, err := tmp.WriteString(hex.EncodeToString(k) + "\n"); err != nil {
		tmp.Close()
		return nil, false, err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return nil, false, err
	}
	if err := tmp.Close(); err != nil {
		return nil, false, err
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, os.ErrExist) {
			k, err := ReadKeyFile(path)
			return k, false, err
		}
		return nil, false, fmt.Errorf("create master key file: %w", err)
	}
	return k, true, nil
}

// ReadKeyFile reads a master key from an existing file.
func ReadKeyFile(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read master key file: %w", err)
	}
	k, err := ParseKey(string(data))
	if err != nil {
		return nil, fmt.Errorf("master key file %s: %w", path, err)
	}
	return k, nil
}
