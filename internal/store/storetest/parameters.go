package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/cognatehq/cognate/internal/store"
)

var parameterTests = []test{
	{"Parameter/CreateAndGet", testParamCreate},
	{"Parameter/Versions", testParamVersions},
	{"Parameter/PutRules", testParamPutRules},
	{"Parameter/KeepVersions", testParamKeep},
	{"Parameter/Regions", testParamRegions},
	{"Parameter/ListPrefix", testParamListPrefix},
	{"Parameter/ListChildren", testParamListChildren},
	{"Parameter/Labels", testParamLabels},
	{"Parameter/Delete", testParamDelete},
	{"Parameter/InTx", testParamInTx},
	{"Parameter/Reset", testParamReset},
}

const paramRegion = "us-east-1"

// param returns version v of a parameter, fully populated.
func param(region, name string, v int64) store.Parameter {
	return store.Parameter{
		Region:         region,
		Name:           name,
		Version:        v,
		Type:           "SecureString",
		Value:          []byte{0x01, 0x00, 0xff, byte(v)},
		Description:    fmt.Sprintf("version %d of %s", v, name),
		AllowedPattern: `^[\x00-\xff]+$`,
		KeyID:          "alias/aws/ssm",
		Tier:           "Standard",
		DataType:       "text",
		ModifiedAt:     at(time.Duration(v) * time.Second),
		Tags:           map[string]string{"team": "auth", "quotes": `" and \ and é`},
	}
}

// putParam writes the next version of a parameter (version 1 when it is
// new) with the fixture's fields, keeping every version, and returns it.
func putParam(t *testing.T, s store.Store, region, name string) store.Parameter {
	t.Helper()
	var out store.Parameter
	err := s.PutParameter(ctxFor(t), region, name, 0, func(newest, _ *store.Parameter) (store.Parameter, error) {
		v := int64(1)
		if newest != nil {
			v = newest.Version + 1
		}
		out = param(region, name, v)
		return out, nil
	})
	must(t, err, "PutParameter "+name)
	return out
}

func testParamCreate(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	_, err := s.GetParameter(ctx, paramRegion, "/app/db")
	wantErr(t, err, store.ErrNotFound, "GetParameter of a missing parameter")

	calls := 0
	want := param(paramRegion, "/app/db", 1)
	must(t, s.PutParameter(ctx, paramRegion, "/app/db", 100, func(newest, oldest *store.Parameter) (store.Parameter, error) {
		calls++
		if newest != nil || oldest != nil {
			t.Errorf("a new parameter: newest %+v, oldest %+v; want both nil", newest, oldest)
		}
		return want, nil
	}), "PutParameter")
	if calls == 0 {
		t.Fatal("PutParameter never called its function")
	}
	got, err := s.GetParameter(ctx, paramRegion, "/app/db")
	must(t, err, "GetParameter")
	equal(t, got, want, "GetParameter")
	got, err = s.GetParameterVersion(ctx, paramRegion, "/app/db", 1)
	must(t, err, "GetParameterVersion 1")
	equal(t, got, want, "GetParameterVersion 1")

	// Nil and empty values and tags round-trip; so do text fields that are
	// empty.
	for name, p := range map[string]store.Parameter{
		"nil":   {Region: paramRegion, Name: "nil", Version: 1, ModifiedAt: t0},
		"empty": {Region: paramRegion, Name: "empty", Version: 1, Value: []byte{}, Tags: map[string]string{}, ModifiedAt: t0},
	} {
		must(t, s.PutParameter(ctx, paramRegion, name, 0, func(*store.Parameter, *store.Parameter) (store.Parameter, error) {
			return p, nil
		}), "PutParameter "+name)
		got, err := s.GetParameter(ctx, paramRegion, name)
		must(t, err, "GetParameter "+name)
		equal(t, got, p, "GetParameter "+name)
	}
}

func testParamVersions(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	const name = "/app/url"
	// Tags belong to the parameter: every version reads the tags the
	// newest put wrote.
	var want []store.Parameter
	withTags := func(p store.Parameter, v int64) store.Parameter {
		p.Tags = map[string]string{"v": fmt.Sprint(v)}
		return p
	}
	for v := int64(1); v <= 3; v++ {
		must(t, s.PutParameter(ctx, paramRegion, name, 0, func(newest, oldest *store.Parameter) (store.Parameter, error) {
			if v == 1 {
				if newest != nil || oldest != nil {
					t.Errorf("version 1: newest %+v, oldest %+v", newest, oldest)
				}
			} else {
				equal(t, *newest, withTags(want[v-2], v-1), fmt.Sprintf("newest seen by put %d", v))
				equal(t, *oldest, withTags(want[0], v-1), fmt.Sprintf("oldest seen by put %d", v))
			}
			return withTags(param(paramRegion, name, v), v), nil
		}), fmt.Sprintf("PutParameter %d", v))
		want = append(want, param(paramRegion, name, v))
	}
	for i := range want {
		want[i] = withTags(want[i], 3)
	}
	got, err := s.GetParameter(ctx, paramRegion, name)
	must(t, err, "GetParameter")
	equal(t, got, want[2], "newest version")
	for _, w := range want {
		got, err := s.GetParameterVersion(ctx, paramRegion, name, w.Version)
		must(t, err, fmt.Sprintf("GetParameterVersion %d", w.Version))
		equal(t, got, w, fmt.Sprintf("GetParameterVersion %d", w.Version))
	}
	_, err = s.GetParameterVersion(ctx, paramRegion, name, 4)
	wantErr(t, err, store.ErrNotFound, "GetParameterVersion of a version not written")
	_, err = s.GetParameterVersion(ctx, paramRegion, "/app/none", 1)
	wantErr(t, err, store.ErrNotFound, "GetParameterVersion of a missing parameter")

	all, err := s.ListParameterVersions(ctx, paramRegion, name, 0, 0)
	must(t, err, "ListParameterVersions")
	equal(t, all, want, "every version, oldest first")
	page, err := s.ListParameterVersions(ctx, paramRegion, name, 1, 1)
	must(t, err, "ListParameterVersions after 1, limit 1")
	equal(t, page, want[1:2], "second page")
	page, err = s.ListParameterVersions(ctx, paramRegion, name, 3, 10)
	must(t, err, "ListParameterVersions after the last")
	equal(t, len(page), 0, "versions after the last")
	_, err = s.ListParameterVersions(ctx, paramRegion, "/app/none", 0, 0)
	wantErr(t, err, store.ErrNotFound, "ListParameterVersions of a missing parameter")
}

func testParamPutRules(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	// The function's own error comes back unchanged and writes nothing,
	// for a new name (whose row the store locks before calling it) too.
	sent := &errTest{"refused"}
	err := s.PutParameter(ctx, paramRegion, "/new", 0, func(*store.Parameter, *store.Parameter) (store.Parameter, error) {
		return store.Parameter{}, sent
	})
	wantSameErr(t, err, sent, "PutParameter with a failing function")
	_, err = s.GetParameter(ctx, paramRegion, "/new")
	wantErr(t, err, store.ErrNotFound, "GetParameter after a refused create")
	list, err := s.ListParameters(ctx, paramRegion, store.ParameterSelection{}, store.Page{})
	must(t, err, "ListParameters")
	equal(t, len(list), 0, "parameters after a refused create")

	first := putParam(t, s, paramRegion, "/p")
	for what, fn := range map[string]func(store.Parameter) store.Parameter{
		"a skipped version":  func(p store.Parameter) store.Parameter { p.Version += 2; return p },
		"the same version":   func(p store.Parameter) store.Parameter { return p },
		"another name":       func(p store.Parameter) store.Parameter { p.Version++; p.Name = "/q"; return p },
		"another region":     func(p store.Parameter) store.Parameter { p.Version++; p.Region = "eu-west-1"; return p },
		"an unset version 0": func(p store.Parameter) store.Parameter { p.Version = 0; return p },
	} {
		err := s.PutParameter(ctx, paramRegion, "/p", 0, func(newest, _ *store.Parameter) (store.Parameter, error) {
			return fn(*newest), nil
		})
		if err == nil {
			t.Fatalf("PutParameter writing %s: no error", what)
		}
	}
	got, err := s.GetParameter(ctx, paramRegion, "/p")
	must(t, err, "GetParameter after refused puts")
	equal(t, got, first, "parameter after refused puts")
	_, err = s.GetParameter(ctx, paramRegion, "/q")
	wantErr(t, err, store.ErrNotFound, "the name a refused put tried")

	// Labels given to a put are ignored: a label is attached only by
	// LabelParameterVersion.
	must(t, s.PutParameter(ctx, paramRegion, "/p", 0, func(newest, _ *store.Parameter) (store.Parameter, error) {
		p := param(paramRegion, "/p", newest.Version+1)
		p.Labels = []string{"ignored"}
		return p, nil
	}), "PutParameter with labels")
	got, err = s.GetParameter(ctx, paramRegion, "/p")
	must(t, err, "GetParameter")
	equal(t, got.Labels, []string(nil), "labels of a put version")
}

func testParamKeep(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	const name = "/kept"
	const keep = 3
	for v := int64(1); v <= 6; v++ {
		must(t, s.PutParameter(ctx, paramRegion, name, keep, func(newest, oldest *store.Parameter) (store.Parameter, error) {
			if v > 1 {
				wantOldest := max(1, v-keep)
				equal(t, oldest.Version, wantOldest, fmt.Sprintf("oldest kept version seen by put %d", v))
				equal(t, newest.Version, v-1, fmt.Sprintf("newest version seen by put %d", v))
			}
			return param(paramRegion, name, v), nil
		}), fmt.Sprintf("PutParameter %d", v))
		if v == 2 {
			must(t, s.LabelParameterVersion(ctx, paramRegion, name, 1, []string{"first"}), "LabelParameterVersion")
		}
	}
	vs, err := s.ListParameterVersions(ctx, paramRegion, name, 0, 0)
	must(t, err, "ListParameterVersions")
	var got []int64
	for _, v := range vs {
		got = append(got, v.Version)
	}
	equal(t, got, []int64{4, 5, 6}, "versions kept")
	_, err = s.GetParameterVersion(ctx, paramRegion, name, 1)
	wantErr(t, err, store.ErrNotFound, "a dropped version")
	_, err = s.GetParameterByLabel(ctx, paramRegion, name, "first")
	wantErr(t, err, store.ErrNotFound, "the label of a dropped version")
}

func testParamRegions(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	east := putParam(t, s, "us-east-1", "/shared")
	west := putParam(t, s, "eu-west-1", "/shared")
	west2 := putParam(t, s, "eu-west-1", "/shared")
	got, err := s.GetParameter(ctx, "us-east-1", "/shared")
	must(t, err, "GetParameter us-east-1")
	equal(t, got, east, "us-east-1 parameter")
	got, err = s.GetParameter(ctx, "eu-west-1", "/shared")
	must(t, err, "GetParameter eu-west-1")
	equal(t, got, west2, "eu-west-1 parameter")
	equal(t, west.Version, int64(1), "first version in a second region")
	list, err := s.ListParameters(ctx, "us-east-1", store.ParameterSelection{}, store.Page{})
	must(t, err, "ListParameters")
	equal(t, list, []store.Parameter{east}, "parameters of us-east-1")
	must(t, s.DeleteParameter(ctx, "eu-west-1", "/shared"), "DeleteParameter eu-west-1")
	_, err = s.GetParameter(ctx, "us-east-1", "/shared")
	must(t, err, "the us-east-1 parameter after deleting the eu-west-1 one")
}

// names returns the names of a listing.
func names(ps []store.Parameter) []string {
	out := []string{}
	for _, p := range ps {
		out = append(out, p.Name)
	}
	return out
}

// hierarchy is the fixture of the listing tests, in bytewise order.
var hierarchy = []string{
	"/a", "/a/b", "/a/b/c", "/a/b/d", "/a/bc", "/a/b_", "/a/x/y/z", "/a0", "/ab", "/b/a", "root", "root2",
}

func testParamListPrefix(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	for _, n := range hierarchy {
		putParam(t, s, paramRegion, n)
	}
	putParam(t, s, paramRegion, "/a/b") // a second version: listings return the newest
	putParam(t, s, "us-west-2", "/a/b/other-region")
	for _, tc := range []struct {
		prefix string
		want   []string
	}{
		{"", []string{"/a", "/a/b", "/a/b/c", "/a/b/d", "/a/b_", "/a/bc", "/a/x/y/z", "/a0", "/ab", "/b/a", "root", "root2"}},
		{"/a/", []string{"/a/b", "/a/b/c", "/a/b/d", "/a/b_", "/a/bc", "/a/x/y/z"}},
		{"/a/b/", []string{"/a/b/c", "/a/b/d"}},
		{"/a/b", []string{"/a/b", "/a/b/c", "/a/b/d", "/a/b_", "/a/bc"}},
		{"/a", []string{"/a", "/a/b", "/a/b/c", "/a/b/d", "/a/b_", "/a/bc", "/a/x/y/z", "/a0", "/ab"}},
		{"root", []string{"root", "root2"}},
		{"/none/", []string{}},
		{"/é", []string{}},
		{"\x7f", []string{}},
	} {
		got, err := s.ListParameters(ctx, paramRegion, store.ParameterSelection{Prefix: tc.prefix}, store.Page{})
		must(t, err, "ListParameters "+tc.prefix)
		equal(t, names(got), tc.want, fmt.Sprintf("names under %q", tc.prefix))
	}
	newest, err := s.ListParameters(ctx, paramRegion, store.ParameterSelection{Prefix: "/a/b"}, store.Page{Limit: 1})
	must(t, err, "ListParameters /a/b")
	equal(t, newest[0], param(paramRegion, "/a/b", 2), "listing returns the newest version")

	// Paging: each page starts after the last name of the previous one.
	var paged []string
	after := ""
	for range 10 {
		page, err := s.ListParameters(ctx, paramRegion, store.ParameterSelection{Prefix: "/a/"}, store.Page{After: after, Limit: 2})
		must(t, err, "ListParameters page")
		if len(page) == 0 {
			break
		}
		if len(page) > 2 {
			t.Fatalf("page of %d, limit 2", len(page))
		}
		paged = append(paged, names(page)...)
		after = page[len(page)-1].Name
	}
	equal(t, paged, []string{"/a/b", "/a/b/c", "/a/b/d", "/a/b_", "/a/bc", "/a/x/y/z"}, "names read page by page")
}

func testParamListChildren(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	for _, n := range hierarchy {
		putParam(t, s, paramRegion, n)
	}
	for _, tc := range []struct {
		prefix string
		want   []string
	}{
		{"", []string{"root", "root2"}},
		{"/", []string{"/a", "/a0", "/ab"}},
		{"/a/", []string{"/a/b", "/a/b_", "/a/bc"}},
		{"/a/b/", []string{"/a/b/c", "/a/b/d"}},
		{"/a/x/", []string{}},
		{"/a/x/y/", []string{"/a/x/y/z"}},
		{"/a/b", []string{}},
	} {
		got, err := s.ListParameters(ctx, paramRegion, store.ParameterSelection{Prefix: tc.prefix, Children: true}, store.Page{})
		must(t, err, "ListParameters children of "+tc.prefix)
		equal(t, names(got), tc.want, fmt.Sprintf("children of %q", tc.prefix))
	}
	page, err := s.ListParameters(ctx, paramRegion, store.ParameterSelection{Prefix: "/a/", Children: true}, store.Page{After: "/a/b", Limit: 1})
	must(t, err, "ListParameters children page")
	equal(t, names(page), []string{"/a/b_"}, "second page of children")
}

func testParamLabels(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	const name = "/lab"
	for range 3 {
		putParam(t, s, paramRegion, name)
	}
	must(t, s.LabelParameterVersion(ctx, paramRegion, name, 1, []string{"prod", "blue", "a-1"}), "label version 1")
	must(t, s.LabelParameterVersion(ctx, paramRegion, name, 1, []string{"prod"}), "label version 1 again")
	v1, err := s.GetParameterVersion(ctx, paramRegion, name, 1)
	must(t, err, "GetParameterVersion 1")
	equal(t, v1.Labels, []string{"a-1", "blue", "prod"}, "labels of version 1, sorted")

	got, err := s.GetParameterByLabel(ctx, paramRegion, name, "prod")
	must(t, err, "GetParameterByLabel prod")
	equal(t, got.Version, int64(1), "version labelled prod")
	_, err = s.GetParameterByLabel(ctx, paramRegion, name, "none")
	wantErr(t, err, store.ErrNotFound, "GetParameterByLabel of an unknown label")

	// A label names one version: attaching it to another moves it.
	must(t, s.LabelParameterVersion(ctx, paramRegion, name, 3, []string{"prod"}), "move prod to version 3")
	got, err = s.GetParameterByLabel(ctx, paramRegion, name, "prod")
	must(t, err, "GetParameterByLabel prod after the move")
	equal(t, got.Version, int64(3), "version labelled prod after the move")
	equal(t, got.Labels, []string{"prod"}, "labels of version 3")
	newest, err := s.GetParameter(ctx, paramRegion, name)
	must(t, err, "GetParameter")
	equal(t, newest.Labels, []string{"prod"}, "labels of the newest version")
	all, err := s.ListParameterVersions(ctx, paramRegion, name, 0, 0)
	must(t, err, "ListParameterVersions")
	equal(t, all[0].Labels, []string{"a-1", "blue"}, "labels of version 1 after the move")
	equal(t, all[1].Labels, []string(nil), "labels of version 2")

	removed, err := s.UnlabelParameterVersion(ctx, paramRegion, name, 1, []string{"blue", "prod", "none"})
	must(t, err, "UnlabelParameterVersion")
	equal(t, removed, []string{"blue"}, "labels removed from version 1")
	removed, err = s.UnlabelParameterVersion(ctx, paramRegion, name, 1, []string{"blue"})
	must(t, err, "UnlabelParameterVersion again")
	equal(t, removed, []string(nil), "labels removed the second time")

	wantErr(t, s.LabelParameterVersion(ctx, paramRegion, name, 9, []string{"x"}), store.ErrNotFound,
		"LabelParameterVersion of a missing version")
	wantErr(t, s.LabelParameterVersion(ctx, paramRegion, "/none", 1, []string{"x"}), store.ErrNotFound,
		"LabelParameterVersion of a missing parameter")
	_, err = s.UnlabelParameterVersion(ctx, paramRegion, name, 9, []string{"x"})
	wantErr(t, err, store.ErrNotFound, "UnlabelParameterVersion of a missing version")
	// The same label on another parameter is another label.
	putParam(t, s, paramRegion, "/other")
	must(t, s.LabelParameterVersion(ctx, paramRegion, "/other", 1, []string{"prod"}), "label another parameter")
	got, err = s.GetParameterByLabel(ctx, paramRegion, name, "prod")
	must(t, err, "GetParameterByLabel prod of the first parameter")
	equal(t, got.Version, int64(3), "prod still labels version 3 of the first parameter")
}

func testParamDelete(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	for range 2 {
		putParam(t, s, paramRegion, "/doomed")
	}
	must(t, s.LabelParameterVersion(ctx, paramRegion, "/doomed", 1, []string{"old"}), "LabelParameterVersion")
	kept := putParam(t, s, paramRegion, "/kept")
	must(t, s.DeleteParameter(ctx, paramRegion, "/doomed"), "DeleteParameter")
	wantErr(t, s.DeleteParameter(ctx, paramRegion, "/doomed"), store.ErrNotFound, "DeleteParameter again")
	_, err := s.GetParameter(ctx, paramRegion, "/doomed")
	wantErr(t, err, store.ErrNotFound, "GetParameter after delete")
	_, err = s.GetParameterVersion(ctx, paramRegion, "/doomed", 1)
	wantErr(t, err, store.ErrNotFound, "GetParameterVersion after delete")
	_, err = s.GetParameterByLabel(ctx, paramRegion, "/doomed", "old")
	wantErr(t, err, store.ErrNotFound, "GetParameterByLabel after delete")
	got, err := s.GetParameter(ctx, paramRegion, "/kept")
	must(t, err, "GetParameter of the other parameter")
	equal(t, got, kept, "the other parameter")

	// A deleted name starts again at version 1, without the old labels.
	again := putParam(t, s, paramRegion, "/doomed")
	equal(t, again.Version, int64(1), "version of a re-created parameter")
	got, err = s.GetParameter(ctx, paramRegion, "/doomed")
	must(t, err, "GetParameter of the re-created parameter")
	equal(t, got, again, "the re-created parameter")
}

func testParamInTx(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	sent := &errTest{"refused"}
	err := s.InTx(ctx, func(tx store.Store) error {
		// A refused create inside a transaction that goes on must leave
		// nothing behind, not even the row the store locked.
		err := tx.PutParameter(ctx, paramRegion, "/refused", 0, func(*store.Parameter, *store.Parameter) (store.Parameter, error) {
			return store.Parameter{}, sent
		})
		wantSameErr(t, err, sent, "PutParameter in a transaction")
		putParam(t, tx, paramRegion, "/in-tx")
		p := putParam(t, tx, paramRegion, "/in-tx")
		got, err := tx.GetParameter(ctx, paramRegion, "/in-tx")
		must(t, err, "GetParameter in the transaction")
		equal(t, got, p, "the transaction reads its own put")
		return nil
	})
	must(t, err, "InTx")
	list, err := s.ListParameters(ctx, paramRegion, store.ParameterSelection{}, store.Page{})
	must(t, err, "ListParameters")
	equal(t, names(list), []string{"/in-tx"}, "parameters after the transaction")
	equal(t, list[0].Version, int64(2), "version written in the transaction")

	err = s.InTx(ctx, func(tx store.Store) error {
		putParam(t, tx, paramRegion, "/rolled-back")
		putParam(t, tx, paramRegion, "/in-tx")
		return sent
	})
	wantSameErr(t, err, sent, "InTx that fails")
	_, err = s.GetParameter(ctx, paramRegion, "/rolled-back")
	wantErr(t, err, store.ErrNotFound, "parameter of a rolled-back transaction")
	got, err := s.GetParameter(ctx, paramRegion, "/in-tx")
	must(t, err, "GetParameter")
	equal(t, got.Version, int64(2), "version after a rolled-back put")
}

func testParamReset(t *testing.T, s store.Store) {
	ctx := ctxFor(t)
	putParam(t, s, paramRegion, "/x")
	must(t, s.LabelParameterVersion(ctx, paramRegion, "/x", 1, []string{"l"}), "LabelParameterVersion")
	must(t, s.Reset(ctx), "Reset")
	_, err := s.GetParameter(ctx, paramRegion, "/x")
	wantErr(t, err, store.ErrNotFound, "parameter after Reset")
	p := putParam(t, s, paramRegion, "/x")
	equal(t, p.Version, int64(1), "version of a parameter created after Reset")
}
