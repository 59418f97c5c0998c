package sqlstore_test

import (
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/cognatehq/cognate/internal/store"
	"github.com/cognatehq/cognate/internal/store/sqlstore"
)

// Data written under an old schema must read back unchanged after every
// later migration. The fixtures in testdata/migratest/<dialect>/ are loaded
// right after the migration of the same name; when a migration changes how
// a record is stored, update the fixtures of later migrations, never these
// expectations (unless the record's meaning changed, on purpose).
func TestMigrationFixturesSQLite(t *testing.T) {
	s, err := sqlstore.OpenWithFixtures(t.Context(), filepath.Join(t.TempDir(), "cognate.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	checkFixtures(t, s)
}

func TestMigrationFixturesPostgres(t *testing.T) {
	_, dsn := freshSchema(t)
	s, err := sqlstore.OpenWithFixtures(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	checkFixtures(t, s)
}

func checkFixtures(t *testing.T, s *sqlstore.Store) {
	t.Helper()
	ctx := t.Context()
	const poolID = "us-east-1_Fixture1"
	t1 := time.Date(2026, 3, 4, 5, 6, 7, 891011000, time.UTC)
	t2 := t1.Add(24 * time.Hour)

	check := func(what string, got, want any, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got  %+v\n want %+v", what, got, want)
		}
	}
	p, err := s.GetPool(ctx, poolID)
	check("pool", p, store.Pool{ID: poolID, Region: "us-east-1", Name: "fixture pool",
		Settings: []byte(`{"mfa":"OFF"}`), CreatedAt: t1, UpdatedAt: t2}, err)

	ds, err := s.ListDomainsByPool(ctx, poolID)
	check("domains", ds, []store.Domain{
		{Domain: "fixture", PoolID: poolID, CreatedAt: t1},
		{Domain: "auth.fixture.example", PoolID: poolID, Custom: true, Settings: []byte(`{"cert":"arn"}`), CreatedAt: t1},
	}, err)

	rss, err := s.ListResourceServers(ctx, poolID, store.Page{})
	check("resource servers", rss, []store.ResourceServer{{
		PoolID: poolID, Identifier: "https://api.fixture.example", Name: "api",
		Scopes:    []store.Scope{{Name: "write", Description: "Write"}, {Name: "read", Description: "Read"}},
		CreatedAt: t1, UpdatedAt: t2,
	}}, err)

	cs, err := s.ListClients(ctx, poolID, store.Page{})
	check("clients", cs, []store.Client{
		{ID: "fixtureclient1", PoolID: poolID, Name: "confidential", SecretSealed: []byte{0x00, 0xff, 0x10},
			Settings: []byte("{}"), CreatedAt: t1, UpdatedAt: t1},
		{ID: "fixtureclient2", PoolID: poolID, Name: "public", CreatedAt: t1, UpdatedAt: t1},
	}, err)

	ks, err := s.ListSigningKeys(ctx, poolID)
	check("signing keys", ks, []store.SigningKey{
		{PoolID: poolID, KID: "fixture-kid-2", Use: "access", Algorithm: "RS256", PublicJWK: []byte(`{"kty":"RSA"}`),
			PrivateSealed: []byte{3, 4}, CreatedAt: t2},
		{PoolID: poolID, KID: "fixture-kid-1", Use: "access", Algorithm: "RS256", PublicJWK: []byte(`{"kty":"RSA"}`),
			PrivateSealed: []byte{1, 2}, CreatedAt: t1, RetireAt: &t2},
	}, err)

	v, err := s.GetMeta(ctx, "fixture")
	check("meta", v, []byte{0xca, 0xfe}, err)
}
