package sqlstore_test

import (
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/cognatehq/cognate/internal/store"
	"github.com/cognatehq/cognate/internal/store/sqlstore"
)

// The parameter fixtures of migration 0002 (testdata/migratest/<dialect>/
// 0002_parameters.sql) must read back unchanged after every later
// migration, as migratest_test.go checks for 0001.
func TestMigrationFixturesParametersSQLite(t *testing.T) {
	s, err := sqlstore.OpenWithFixtures(t.Context(), filepath.Join(t.TempDir(), "cognate.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	checkParameterFixtures(t, s)
}

func TestMigrationFixturesParametersPostgres(t *testing.T) {
	_, dsn := freshSchema(t)
	s, err := sqlstore.OpenWithFixtures(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	checkParameterFixtures(t, s)
}

func checkParameterFixtures(t *testing.T, s *sqlstore.Store) {
	t.Helper()
	ctx := t.Context()
	t1 := time.Date(2026, 3, 4, 5, 6, 7, 891011000, time.UTC)
	t2 := t1.Add(24 * time.Hour)
	const name = "/fixture/db/password"
	tags := map[string]string{"team": "auth"}
	v1 := store.Parameter{Region: "us-east-1", Name: name, Version: 1, Type: "SecureString", Value: []byte{0x01, 0xaa},
		Description: "first", KeyID: "alias/aws/ssm", Tier: "Standard", DataType: "text", ModifiedAt: t1,
		Labels: []string{"blue", "prod"}, Tags: tags}
	v2 := store.Parameter{Region: "us-east-1", Name: name, Version: 2, Type: "SecureString", Value: []byte{0x01, 0xbb},
		Description: "second", AllowedPattern: "^.+$", KeyID: "alias/aws/ssm", Tier: "Advanced", DataType: "text",
		ModifiedAt: t2, Tags: tags}
	root := store.Parameter{Region: "eu-west-1", Name: "fixture-root", Version: 1, Type: "StringList", Value: []byte("a,b"),
		Tier: "Standard", DataType: "text", ModifiedAt: t1}

	check := func(what string, got, want any, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got  %+v\n want %+v", what, got, want)
		}
	}
	got, err := s.GetParameter(ctx, "us-east-1", name)
	check("newest version", got, v2, err)
	vs, err := s.ListParameterVersions(ctx, "us-east-1", name, 0, 0)
	check("versions", vs, []store.Parameter{v1, v2}, err)
	got, err = s.GetParameterByLabel(ctx, "us-east-1", name, "prod")
	check("labelled version", got, v1, err)
	list, err := s.ListParameters(ctx, "us-east-1", store.ParameterSelection{Prefix: "/fixture/db/", Children: true}, store.Page{})
	check("children of /fixture/db/", list, []store.Parameter{v2}, err)
	list, err = s.ListParameters(ctx, "eu-west-1", store.ParameterSelection{Children: true}, store.Page{})
	check("root of eu-west-1", list, []store.Parameter{root}, err)
}
