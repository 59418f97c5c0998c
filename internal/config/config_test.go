package config

import (
	"strings"
	"testing"
)

func TestDefaultsValidate(t *testing.T) {
	c := Default()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	for addr, want := range map[string]string{
		"127.0.0.1:4566": "http://127.0.0.1:4566",
		"0.0.0.0:8080":   "http://127.0.0.1:8080",
		"[::]:8080":      "http://127.0.0.1:8080",
		"[::1]:8080":     "http://[::1]:8080",
	} {
		if got := PublicURLFor(addr); got != want {
			t.Errorf("PublicURLFor(%s) = %q, want %q", addr, got, want)
		}
	}
}

func TestNonLoopbackNeedsCredentials(t *testing.T) {
	c := Default()
	c.Listen = "0.0.0.0:4566"
	err := c.Validate()
	if err == nil || !strings.Contains(err.Error(), "--access-key-id") {
		t.Fatalf("err = %v", err)
	}
	c = Default()
	c.Listen = "0.0.0.0:4566"
	c.AccessKeyID, c.SecretAccessKey = "AKID", "secret"
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "--public-url is required") {
		t.Fatalf("non-loopback without --public-url: %v", err)
	}
	c.PublicURL = "https://auth.example.com"
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestReportsEveryProblem(t *testing.T) {
	c := Default()
	c.Region = "mars"
	c.AccountID = "12"
	c.Store = "postgres://x"
	c.IssuerStyle = "azure"
	c.LogLevel = "verbose"
	err := c.Validate()
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{"--region", "--account-id", "COGNATE_MASTER_KEY", "--issuer-style", "--log-level", "--public-url"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %s: %v", want, err)
		}
	}
}

func TestApplyEnv(t *testing.T) {
	c := Default()
	env := map[string]string{EnvMasterKey: "k", EnvAccessKeyID: "a", EnvSecretAccessKey: "s"}
	c.ApplyEnv(func(k string) string { return env[k] })
	if c.MasterKey != "k" || c.AccessKeyID != "a" || c.SecretAccessKey != "s" {
		t.Errorf("%+v", c)
	}
}
