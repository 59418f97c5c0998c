package sealer

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestSealOpen(t *testing.T) {
	key := bytes.Repeat([]byte{7}, KeySize)
	s, err := New(key)
	if err != nil {
		t.Fatal(err)
	}
	sealed := s.Seal([]byte("hunter2"), "client:abc")
	if bytes.Contains(sealed, []byte("hunter2")) {
		t.Fatal("plaintext visible in sealed value")
	}
	got, err := s.Open(sealed, "client:abc")
	if err != nil || string(got) != "hunter2" {
		t.Fatalf("Open = %q, %v", got, err)
	}
	if _, err := s.Open(sealed, "client:other"); err != ErrOpen {
		t.Fatalf("open with other aad: %v", err)
	}
	other, _ := New(bytes.Repeat([]byte{8}, KeySize))
	if _, err := other.Open(sealed, "client:abc"); err != ErrOpen {
		t.Fatalf("open with other key: %v", err)
	}
	sealed[len(sealed)-1] ^= 1
	if _, err := s.Open(sealed, "client:abc"); err != ErrOpen {
		t.Fatalf("open tampered: %v", err)
	}
	if _, err := s.Open(nil, "x"); err != ErrOpen {
		t.Fatalf("open empty: %v", err)
	}
}

func TestParseKey(t *testing.T) {
	for _, in := range []string{
		"0707070707070707070707070707070707070707070707070707070707070707",
		"BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=\n",
	} {
		k, err := ParseKey(in)
		if err != nil || !bytes.Equal(k, bytes.Repeat([]byte{7}, KeySize)) {
			t.Errorf("ParseKey(%q) = %x, %v", in, k, err)
		}
	}
	if _, err := ParseKey("short"); err == nil {
		t.Error("short key accepted")
	}
}

func TestLoadOrCreateKeyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "master.key")
	k1, created, err := LoadOrCreateKeyFile(path)
	if err != nil || !created {
		t.Fatalf("first: %v %v", created, err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode = %v, %v", fi.Mode(), err)
	}
	k2, created, err := LoadOrCreateKeyFile(path)
	if err != nil || created || !bytes.Equal(k1, k2) {
		t.Fatalf("second: created=%v err=%v same=%v", created, err, bytes.Equal(k1, k2))
	}
}
