package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/cognatehq/cognate/internal/store"
)

// Opener opens a fresh, empty store for one subtest and arranges, with
// t.Cleanup, for it to be closed.
type Opener = func(t *testing.T) store.Store

// test is one named subtest of the suite.
type test struct {
	name string
	run  func(t *testing.T, s store.Store)
}

// Run runs the conformance suite: CRUD, errors, cascades, paging, update
// closures, transactions, Reset, signing key retirement, time handling and
// SSM parameters with their versions and labels, each as a named subtest
// on a fresh store from open.
func Run(t *testing.T, open Opener) {
	t.Helper()
	var all []test
	all = append(all, poolTests...)
	all = append(all, domainTests...)
	all = append(all, resourceServerTests...)
	all = append(all, clientTests...)
	all = append(all, signingKeyTests...)
	all = append(all, verifyTests...)
	all = append(all, metaTests...)
	all = append(all, parameterTests...)
	all = append(all, stackTests...)
	all = append(all, apigwTests...)
	all = append(all, txTests...)
	all = append(all, miscTests...)
	runAll(t, open, all)
}

// RunConcurrent runs the concurrency suite: racing creates that only one
// may win, update closures that must not lose updates, InTx
// check-then-write that must stay consistent, reads during writes, and
// parameter puts that must neither lose nor repeat a version.
func RunConcurrent(t *testing.T, open Opener) {
	t.Helper()
	runAll(t, open, concurrentTests)
}

func runAll(t *testing.T, open Opener, tests []test) {
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.run(t, open(t))
		})
	}
}

// t0 is the base time of the fixtures: UTC, microsecond precision.
var t0 = time.Date(2026, 5, 1, 12, 30, 45, 123456000, time.UTC)

// at returns t0 plus d.
func at(d time.Duration) time.Time { return t0.Add(d) }

func ctxFor(t *testing.T) context.Context {
	return t.Context()
}

// must fails the test at once if err is not nil.
func must(t *testing.T, err error, what string) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: unexpected error: %v", what, err)
	}
}

// wantErr fails the test unless errors.Is(err, target).
func wantErr(t *testing.T, err, target error, what string) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("%s: got error %v, want one that matches %v", what, err, target)
	}
	if err.Error() == target.Error() {
		t.Errorf("%s: error %q says only what kind it is; it should also say what was missing or clashed", what, err)
	}
}

// equal fails the test unless got and want are deeply equal.
func equal[T any](t *testing.T, got, want T, what string) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s:\n got  %s\n want %s", what, show(got), show(want))
	}
}

func show(v any) string { return fmt.Sprintf("%+v", v) }

// errTest is an error type of the caller's, which update closures and InTx
// functions return to check that it comes back unchanged.
type errTest struct{ msg string }

func (e *errTest) Error() string { return e.msg }

// wantSameErr fails the test unless err is the very error fn returned.
func wantSameErr(t *testing.T, err error, sent *errTest, what string) {
	t.Helper()
	var got *errTest
	if !errors.As(err, &got) || got != sent {
		t.Fatalf("%s: got error %v, want the closure's own error %v", what, err, sent)
	}
}

// Fixtures. Each returns a fully populated record with UTC times.

func pool(id, region string) store.Pool {
	return store.Pool{
		ID:        id,
		Region:    region,
		Name:      "pool " + id,
		Settings:  []byte(`{"mfa":"OFF"}`),
		CreatedAt: t0,
		UpdatedAt: at(time.Second),
	}
}

func domain(name, poolID string, custom bool) store.Domain {
	return store.Domain{Domain: name, PoolID: poolID, Custom: custom, Settings: []byte(`{"v":1}`), CreatedAt: t0}
}

func resourceServer(poolID, identifier string) store.ResourceServer {
	return store.ResourceServer{
		PoolID:     poolID,
		Identifier: identifier,
		Name:       "rs " + identifier,
		Scopes: []store.Scope{
			{Name: "write", Description: "Write access"},
			{Name: "read", Description: "Read access"},
		},
		CreatedAt: t0,
		UpdatedAt: t0,
	}
}

func client(id, poolID string) store.Client {
	return store.Client{
		ID:           id,
		PoolID:       poolID,
		Name:         "client " + id,
		SecretSealed: []byte{0x00, 0x01, 0xfe, 0xff},
		Settings:     []byte(`{"flows":["client_credentials"]}`),
		CreatedAt:    t0,
		UpdatedAt:    t0,
	}
}

func signingKey(poolID, kid, use string, created time.Time) store.SigningKey {
	return store.SigningKey{
		PoolID:        poolID,
		KID:           kid,
		Use:           use,
		Algorithm:     "RS256",
		PublicJWK:     []byte(`{"kty":"RSA","kid":"` + kid + `"}`),
		PrivateSealed: []byte("sealed-" + kid),
		CreatedAt:     created,
	}
}

// createPool creates pool id in region us-east-1 and fails the test on error.
func createPool(t *testing.T, s store.Store, id string) store.Pool {
	t.Helper()
	p := pool(id, "us-east-1")
	must(t, s.CreatePool(ctxFor(t), p), "CreatePool "+id)
	return p
}
