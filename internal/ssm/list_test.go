package ssm

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// seedTree puts a small hierarchy.
func seedTree(t *testing.T, f *fixture) {
	t.Helper()
	for _, p := range []PutInput{
		{Name: "/app/db/url", Value: "u", Type: TypeString},
		{Name: "/app/db/password", Value: "pw", Type: TypeSecureString, KeyID: str("alias/db")},
		{Name: "/app/db/hosts", Value: "a,b", Type: TypeStringList, Tags: []Tag{{"team", "data"}}},
		{Name: "/app/name", Value: "n", Type: TypeString, Tier: TierAdvanced, Tags: []Tag{{"team", "web"}}},
		{Name: "/app/deep/a/b", Value: "d", Type: TypeString, DataType: DataTypeEC2Image},
		{Name: "/apps/other", Value: "o", Type: TypeString},
		{Name: "root1", Value: "r1", Type: TypeString},
		{Name: "/root2", Value: "r2", Type: TypeString},
	} {
		f.put(t, p)
	}
}

func paramNames(ps []Parameter) []string {
	out := []string{}
	for _, p := range ps {
		out = append(out, p.Name)
	}
	return out
}

func TestGetParametersByPath(t *testing.T) {
	f := newFixture(t)
	seedTree(t, f)
	for _, tc := range []struct {
		q    PathQuery
		want string
	}{
		{PathQuery{Path: "/app"}, "/app/name"},
		{PathQuery{Path: "/app/"}, "/app/name"},
		{PathQuery{Path: "/app/db"}, "/app/db/hosts,/app/db/password,/app/db/url"},
		{PathQuery{Path: "/app", Recursive: true}, "/app/db/hosts,/app/db/password,/app/db/url,/app/deep/a/b,/app/name"},
		{PathQuery{Path: "/"}, "root1,root2"},
		{PathQuery{Path: "/", Recursive: true}, "/app/db/hosts,/app/db/password,/app/db/url,/app/deep/a/b,/app/name,/apps/other,root1,root2"},
		{PathQuery{Path: "/ap", Recursive: true}, ""},
		{PathQuery{Path: "/app/db/url"}, ""},
		{PathQuery{Path: "/aws/service", Recursive: true}, ""},
		{PathQuery{Path: "/app", Recursive: true, Filters: []Filter{{Key: "Type", Values: []string{"SecureString", "StringList"}}}},
			"/app/db/hosts,/app/db/password"},
		{PathQuery{Path: "/app", Recursive: true, Filters: []Filter{{Key: "KeyId", Option: "BeginsWith", Values: []string{"alias/"}}}},
			"/app/db/password"},
		{PathQuery{Path: "/app", Recursive: true, Filters: []Filter{{Key: "Type", Option: "BeginsWith", Values: []string{"String"}}}},
			"/app/db/hosts,/app/db/url,/app/deep/a/b,/app/name"},
	} {
		got, next, err := f.svc.GetParametersByPath(ctxBG, testRegion, tc.q)
		if err != nil {
			t.Errorf("%+v: %v", tc.q, err)
			continue
		}
		if strings.Join(paramNames(got), ",") != tc.want || next != "" {
			t.Errorf("%+v: %q next %q, want %q", tc.q, paramNames(got), next, tc.want)
		}
	}
	// Values: decrypted on request only.
	got, _, err := f.svc.GetParametersByPath(ctxBG, testRegion, PathQuery{Path: "/app/db", Decrypt: true})
	if err != nil || got[1].Value != "pw" || got[0].Value != "a,b" {
		t.Fatalf("decrypted: %+v %v", got, err)
	}
	got, _, _ = f.svc.GetParametersByPath(ctxBG, testRegion, PathQuery{Path: "/app/db"})
	if got[1].Value == "pw" {
		t.Fatal("a SecureString value came back without WithDecryption")
	}

	// Paging, with and without filters.
	for _, filters := range [][]Filter{nil, {{Key: "Type", Values: []string{"String", "StringList", "SecureString"}}}} {
		var all []string
		tok := ""
		for pages := 0; ; pages++ {
			page, next, err := f.svc.GetParametersByPath(ctxBG, testRegion,
				PathQuery{Path: "/", Recursive: true, MaxResults: 3, NextToken: tok, Filters: filters})
			if err != nil || len(page) > 3 || pages > 5 {
				t.Fatalf("page %d: %d, %v", pages, len(page), err)
			}
			all = append(all, paramNames(page)...)
			if next == "" {
				break
			}
			tok = next
		}
		if len(all) != 8 || !slices.IsSorted(all) {
			t.Errorf("paged listing with filters %v: %q", filters, all)
		}
	}

	for _, tc := range []struct {
		q    PathQuery
		kind Kind
		msg  string
	}{
		{PathQuery{Path: "app"}, KindValidation, msgPathInvalid},
		{PathQuery{Path: "/a b"}, KindValidation, msgPathInvalid},
		{PathQuery{Path: "/a//b"}, KindValidation, msgPathInvalid},
		{PathQuery{Path: "/app", MaxResults: 11}, KindValidation,
			"1 validation error detected: Value '11' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 10"},
		{PathQuery{Path: "/app", NextToken: "!!"}, KindInvalidNextToken, "The specified token isn't valid."},
		{PathQuery{Path: "/app", Filters: []Filter{{Key: "Name", Values: []string{"x"}}}}, KindInvalidFilterKey,
			"The following filter key is not valid: Name. Valid filter keys include: [Type, KeyId]."},
		{PathQuery{Path: "/app", Filters: []Filter{{Key: "tag:team", Values: []string{"x"}}}}, KindInvalidFilterKey,
			"The following filter key is not valid: tag:team. Valid filter keys include: [Type, KeyId]."},
		{PathQuery{Path: "/app", Filters: []Filter{{Key: "Label", Values: []string{"x"}}}}, KindInvalidFilterKey,
			"Cognate does not support the Label filter of GetParametersByPath yet"},
		{PathQuery{Path: "/app", Filters: []Filter{{Key: "Type", Option: "Contains", Values: []string{"x"}}}}, KindInvalidFilterOption,
			"The following filter option is not valid: Contains. Valid options include: [BeginsWith, Equals]."},
		{PathQuery{Path: "/app", Filters: []Filter{{Key: "Type", Values: []string{"Secure"}}}}, KindInvalidFilterValue,
			"The following filter value is not valid: Secure."},
		{PathQuery{Path: "/app", Filters: []Filter{{Key: "Type"}}}, KindInvalidFilterValue,
			"The following filter values are missing : null for filter key Type."},
		{PathQuery{Path: "/app", Filters: []Filter{{Key: "Type", Values: []string{"String"}}, {Key: "Type", Values: []string{"String"}}}},
			KindInvalidFilterKey, "The following filter is duplicated in the request: Type."},
		{PathQuery{Path: "/app", Filters: []Filter{{Key: "Color", Values: []string{"x"}}}}, KindValidation,
			"Value 'Color' at 'parameterFilters.1.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: tag:.+|Name|Type|KeyId|Path|Label|Tier|DataType"},
	} {
		_, _, err := f.svc.GetParametersByPath(ctxBG, testRegion, tc.q)
		wantKind(t, err, tc.kind, tc.msg)
	}
}

func TestDescribeParameters(t *testing.T) {
	f := newFixture(t)
	seedTree(t, f)
	for _, tc := range []struct {
		q    DescribeQuery
		want string
	}{
		{DescribeQuery{MaxResults: 50}, "/app/db/hosts,/app/db/password,/app/db/url,/app/deep/a/b,/app/name,/apps/other,root1,root2"},
		{DescribeQuery{ParameterFilters: []Filter{{Key: "Name", Option: "BeginsWith", Values: []string{"/app/db"}}}},
			"/app/db/hosts,/app/db/password,/app/db/url"},
		{DescribeQuery{ParameterFilters: []Filter{{Key: "Name", Values: []string{"/app/name", "root1"}}}}, "/app/name,root1"},
		{DescribeQuery{ParameterFilters: []Filter{{Key: "Name", Values: []string{"/root2"}}}}, "root2"},
		{DescribeQuery{ParameterFilters: []Filter{{Key: "Name", Option: "BeginsWith", Values: []string{"/root"}}}}, "root1,root2"},
		{DescribeQuery{ParameterFilters: []Filter{{Key: "Name", Option: "Contains", Values: []string{"db"}}}},
			"/app/db/hosts,/app/db/password,/app/db/url"},
		{DescribeQuery{ParameterFilters: []Filter{{Key: "Type", Values: []string{"SecureString"}}}}, "/app/db/password"},
		{DescribeQuery{ParameterFilters: []Filter{{Key: "KeyId", Values: []string{"alias/db"}}}}, "/app/db/password"},
		{DescribeQuery{ParameterFilters: []Filter{{Key: "Tier", Values: []string{"Advanced"}}}}, "/app/name"},
		{DescribeQuery{ParameterFilters: []Filter{{Key: "DataType", Values: []string{"aws:ec2:image"}}}}, "/app/deep/a/b"},
		{DescribeQuery{ParameterFilters: []Filter{{Key: "Path", Values: []string{"/app"}}}}, "/app/name"},
		{DescribeQuery{ParameterFilters: []Filter{{Key: "Path", Option: "Recursive", Values: []string{"/app/deep"}}}}, "/app/deep/a/b"},
		{DescribeQuery{ParameterFilters: []Filter{{Key: "Path", Values: []string{"/"}}}}, "root1,root2"},
		{DescribeQuery{ParameterFilters: []Filter{{Key: "tag:team", Values: []string{"web"}}}}, "/app/name"},
		{DescribeQuery{ParameterFilters: []Filter{{Key: "tag:team"}}}, "/app/db/hosts,/app/name"},
		{DescribeQuery{ParameterFilters: []Filter{{Key: "tag:team", Option: "BeginsWith", Values: []string{"d"}}, {Key: "Type", Values: []string{"StringList"}}}},
			"/app/db/hosts"},
		{DescribeQuery{Filters: []Filter{{Key: "Name", Values: []string{"/app/d"}}}}, "/app/db/hosts,/app/db/password,/app/db/url,/app/deep/a/b"},
		{DescribeQuery{Filters: []Filter{{Key: "Type", Values: []string{"StringList"}}}}, "/app/db/hosts"},
		{DescribeQuery{Shared: true}, ""},
	} {
		got, next, err := f.svc.DescribeParameters(ctxBG, testRegion, tc.q)
		if err != nil {
			t.Errorf("%+v: %v", tc.q, err)
			continue
		}
		var names []string
		for _, m := range got {
			names = append(names, m.Name)
		}
		if strings.Join(names, ",") != tc.want || next != "" {
			t.Errorf("%+v: %q (next %q), want %q", tc.q, names, next, tc.want)
		}
	}
	got, next, err := f.svc.DescribeParameters(ctxBG, testRegion, DescribeQuery{ParameterFilters: []Filter{{Key: "Name", Values: []string{"/app/db/password"}}}})
	if err != nil || len(got) != 1 || next != "" {
		t.Fatal(got, err)
	}
	want := Metadata{Name: "/app/db/password", ARN: "arn:aws:ssm:us-east-1:123456789012:parameter/app/db/password",
		Type: TypeSecureString, KeyID: "alias/db", LastModified: f.now, LastModifiedUser: "arn:aws:iam::123456789012:root",
		Version: 1, Tier: TierStandard, DataType: DataTypeText}
	if got[0] != want {
		t.Errorf("metadata:\n got  %+v\n want %+v", got[0], want)
	}
	// The default page is 10; paging returns everything once.
	for i := range 12 {
		f.put(t, PutInput{Name: fmt.Sprintf("/many/p%02d", i), Value: "v", Type: TypeString})
	}
	page, next, err := f.svc.DescribeParameters(ctxBG, testRegion, DescribeQuery{})
	if err != nil || len(page) != 10 || next == "" {
		t.Fatalf("first page: %d %q %v", len(page), next, err)
	}
	rest, next2, err := f.svc.DescribeParameters(ctxBG, testRegion, DescribeQuery{NextToken: next, MaxResults: 50})
	if err != nil || len(rest) != 10 || next2 != "" || rest[0].Name <= page[9].Name {
		t.Fatalf("second page: %d %q %v", len(rest), next2, err)
	}

	for _, tc := range []struct {
		q    DescribeQuery
		kind Kind
		msg  string
	}{
		{DescribeQuery{Filters: []Filter{{Key: "Name", Values: []string{"a"}}}, ParameterFilters: []Filter{{Key: "Type", Values: []string{"String"}}}},
			KindValidation, "You can use either Filters or ParameterFilters in a single request."},
		{DescribeQuery{MaxResults: 51}, KindValidation, "Member must have value less than or equal to 50"},
		{DescribeQuery{ParameterFilters: []Filter{{Key: "Label", Values: []string{"x"}}}}, KindInvalidFilterKey,
			"The following filter key is not valid: Label."},
		{DescribeQuery{ParameterFilters: []Filter{{Key: "Path", Option: "Equals", Values: []string{"/app"}}}}, KindInvalidFilterOption,
			"Valid options include: [Recursive, OneLevel]."},
		{DescribeQuery{ParameterFilters: []Filter{{Key: "Path", Values: []string{"/aws/service"}}}}, KindValidation,
			`Filters for common parameters can't be prefixed with "aws" or "ssm"`},
		{DescribeQuery{ParameterFilters: []Filter{{Key: "Tier", Values: []string{"Gold"}}}}, KindInvalidFilterValue,
			"The following filter value is not valid: Gold. Valid values include: [Standard, Advanced, Intelligent-Tiering]."},
		{DescribeQuery{Filters: []Filter{{Key: "Tier", Values: []string{"Standard"}}}}, KindValidation,
			"Value 'Tier' at 'filters.1.member.key' failed to satisfy constraint: Member must satisfy enum value set: [Name, Type, KeyId]"},
		{DescribeQuery{NextToken: "%%"}, KindInvalidNextToken, "The specified token isn't valid."},
	} {
		_, _, err := f.svc.DescribeParameters(ctxBG, testRegion, tc.q)
		wantKind(t, err, tc.kind, tc.msg)
	}
}

func TestGetParameterHistory(t *testing.T) {
	f := newFixture(t)
	f.put(t, PutInput{Name: "/h", Value: "one", Type: TypeSecureString, Description: str("first")})
	f.put(t, PutInput{Name: "/h", Value: "two", Overwrite: true, Description: str("second")})
	f.put(t, PutInput{Name: "/h", Value: "three", Overwrite: true})
	if _, err := f.svc.LabelParameterVersion(ctxBG, testRegion, "/h", ptr(int64(2)), []string{"b", "a"}); err != nil {
		t.Fatal(err)
	}
	hist, next, err := f.svc.GetParameterHistory(ctxBG, testRegion, HistoryQuery{Name: "/h", Decrypt: true})
	if err != nil || next != "" || len(hist) != 3 {
		t.Fatalf("history: %+v %q %v", hist, next, err)
	}
	for i, want := range []struct {
		value, desc string
		labels      []string
	}{{"one", "first", []string{}}, {"two", "second", []string{"a", "b"}}, {"three", "second", []string{}}} {
		h := hist[i]
		if h.Version != int64(i+1) || h.Value != want.value || h.Description != want.desc || !slices.Equal(h.Labels, want.labels) ||
			h.KeyID != DefaultKeyID || h.Name != "h" {
			t.Errorf("version %d: %+v", i+1, h)
		}
	}
	hist, _, _ = f.svc.GetParameterHistory(ctxBG, testRegion, HistoryQuery{Name: "/h"})
	if hist[0].Value == "one" {
		t.Error("history without decryption returned the plaintext")
	}
	var versions []int64
	tok := ""
	for range 5 {
		page, next, err := f.svc.GetParameterHistory(ctxBG, testRegion, HistoryQuery{Name: "h", MaxResults: 2, NextToken: tok})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range page {
			versions = append(versions, h.Version)
		}
		if tok = next; tok == "" {
			break
		}
	}
	if !slices.Equal(versions, []int64{1, 2, 3}) {
		t.Errorf("paged versions %v", versions)
	}
	_, _, err = f.svc.GetParameterHistory(ctxBG, testRegion, HistoryQuery{Name: "/none"})
	wantKind(t, err, KindParameterNotFound, "")
	_, _, err = f.svc.GetParameterHistory(ctxBG, testRegion, HistoryQuery{Name: "/h:1"})
	wantKind(t, err, KindValidation, msgNameInvalid)
	_, _, err = f.svc.GetParameterHistory(ctxBG, testRegion, HistoryQuery{Name: "/h", NextToken: encodeToken("x")})
	wantKind(t, err, KindInvalidNextToken, "")
}

func TestDelete(t *testing.T) {
	f := newFixture(t)
	seedTree(t, f)
	if err := f.svc.DeleteParameter(ctxBG, testRegion, "/app/name"); err != nil {
		t.Fatal(err)
	}
	wantKind(t, f.svc.DeleteParameter(ctxBG, testRegion, "/app/name"), KindParameterNotFound, "")
	wantKind(t, f.svc.DeleteParameter(ctxBG, testRegion, "bad name"), KindValidation, msgNameInvalid)
	if err := f.svc.DeleteParameter(ctxBG, testRegion, "/root1"); err != nil {
		t.Fatalf("delete a one-level name by its slashed form: %v", err)
	}
	deleted, invalid, err := f.svc.DeleteParameters(ctxBG, testRegion, []string{"/app/db/url", "/missing", "root2", "/app/db/url", "a b"})
	if err != nil || strings.Join(deleted, ",") != "/app/db/url,root2" || strings.Join(invalid, ",") != "/missing,a b" {
		t.Fatalf("DeleteParameters: %q %q %v", deleted, invalid, err)
	}
	_, _, err = f.svc.DeleteParameters(ctxBG, testRegion, nil)
	wantKind(t, err, KindValidation, "at 'names' failed to satisfy constraint: Member must have length greater than or equal to 1")
	// A deleted name starts again at version 1.
	if res := f.put(t, PutInput{Name: "/app/name", Value: "again", Type: TypeString}); res.Version != 1 {
		t.Fatalf("re-created version %d", res.Version)
	}
	if !strings.Contains(f.logs.String(), "parameter deleted") {
		t.Error("no log of the delete")
	}
}

func TestLabels(t *testing.T) {
	f := newFixture(t)
	for i := range 3 {
		f.put(t, PutInput{Name: "/l", Value: fmt.Sprint(i), Type: TypeString, Overwrite: true})
	}
	res, err := f.svc.LabelParameterVersion(ctxBG, testRegion, "/l", nil, []string{"latest", "1bad", "awsx", "latest"})
	if err != nil || res.Version != 3 || !slices.Equal(res.InvalidLabels, []string{"1bad", "awsx"}) {
		t.Fatalf("label newest: %+v %v", res, err)
	}
	// Moving a label.
	if _, err := f.svc.LabelParameterVersion(ctxBG, testRegion, "/l", ptr(int64(1)), []string{"latest"}); err != nil {
		t.Fatal(err)
	}
	if p := f.get(t, "/l:latest", false); p.Version != 1 {
		t.Fatalf("moved label reads version %d", p.Version)
	}
	// At most 10 labels per version; a request that would exceed it
	// attaches none.
	var nine []string
	for i := range 9 {
		nine = append(nine, fmt.Sprintf("l%d", i))
	}
	if _, err := f.svc.LabelParameterVersion(ctxBG, testRegion, "/l", ptr(int64(1)), nine); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.LabelParameterVersion(ctxBG, testRegion, "/l", ptr(int64(1)), []string{"one-more"})
	wantKind(t, err, KindParameterVersionLabelLimitExceeded, "A parameter version can have a maximum of 10 labels.")
	if _, err := f.svc.GetParameter(ctxBG, testRegion, "/l:one-more", false); KindOf(err) != KindParameterNotFound {
		t.Fatalf("a refused label was attached: %v", err)
	}
	_, err = f.svc.LabelParameterVersion(ctxBG, testRegion, "/l", ptr(int64(9)), []string{"x"})
	wantKind(t, err, KindParameterVersionNotFound, "could not find version 9 of l")
	_, err = f.svc.LabelParameterVersion(ctxBG, testRegion, "/none", nil, []string{"x"})
	wantKind(t, err, KindParameterNotFound, "")
	_, err = f.svc.LabelParameterVersion(ctxBG, testRegion, "/l", nil, []string{strings.Repeat("x", 101)})
	wantKind(t, err, KindValidation, "at 'labels.1.member' failed to satisfy constraint: Member must have length less than or equal to 100")
	_, err = f.svc.LabelParameterVersion(ctxBG, testRegion, "arn:aws:ssm:us-east-1:123456789012:parameter/l", nil, []string{"x"})
	wantKind(t, err, KindValidation, msgNameInvalid)

	un, err := f.svc.UnlabelParameterVersion(ctxBG, testRegion, "/l", 1, []string{"latest", "nope", "l0"})
	if err != nil || !slices.Equal(un.RemovedLabels, []string{"latest", "l0"}) || !slices.Equal(un.InvalidLabels, []string{"nope"}) {
		t.Fatalf("unlabel: %+v %v", un, err)
	}
	_, err = f.svc.UnlabelParameterVersion(ctxBG, testRegion, "/l", 7, []string{"x"})
	wantKind(t, err, KindParameterVersionNotFound, "")
}
