package ssm

import (
	"strings"
	"testing"
)

func TestPutNames(t *testing.T) {
	f := newFixture(t)
	deep := "/" + strings.Repeat("l/", 14) + "name" // 15 levels
	// The longest name: 1011 characters with the 45-character ARN prefix
	// of us-east-1 and account 123456789012.
	long := "/l/" + strings.Repeat("n", maxNameWithARN-len("arn:aws:ssm:us-east-1:123456789012:parameter/")-2)
	for _, tc := range []struct {
		name, want string
	}{
		{"/a/b/c", "/a/b/c"},
		{"plain", "plain"},
		{"/root-level", "root-level"}, // one level: stored without the slash
		{"  /trimmed/name  ", "/trimmed/name"},
		{"/A.b-c_d/0", "/A.b-c_d/0"},
		{deep, deep},
		{long, long},
		{"/x/aws/y", "/x/aws/y"},
	} {
		if _, err := f.svc.PutParameter(ctxBG, testRegion, PutInput{Name: tc.name, Value: "v", Type: TypeString}); err != nil {
			t.Errorf("PutParameter(%q): %v", tc.name, err)
			continue
		}
		if p := f.get(t, tc.want, false); p.Name != tc.want {
			t.Errorf("PutParameter(%q) stored %q, want %q", tc.name, p.Name, tc.want)
		}
	}
	// Reading a one-level name works with and without the slash.
	if p := f.get(t, "/plain", false); p.Name != "plain" || p.ARN != "arn:aws:ssm:us-east-1:123456789012:parameter/plain" {
		t.Errorf("/plain: %+v", p)
	}

	for _, tc := range []struct {
		name string
		kind Kind
		msg  string
	}{
		{"a/b", KindValidation, msgNotFullyQualified},
		{"/a b", KindValidation, msgNameInvalid},
		{"/a/b@c", KindValidation, msgNameInvalid},
		{"/a//b", KindValidation, msgNameInvalid},
		{"/a/", KindValidation, msgNameInvalid},
		{"/", KindValidation, msgNameInvalid},
		{"   ", KindValidation, msgNameInvalid},
		{"aws-thing", KindValidation, msgNamePrefix},
		{"/SSM", KindValidation, msgNamePrefix},
		{"/awsome", KindValidation, msgNamePrefix},
		{"/aws/service/x", KindAccessDenied, "No access to reserved parameter name: /aws/service/x."},
		{"/ssm/x", KindValidation, msgNameInvalid},
		{"/" + strings.Repeat("l/", 15) + "name", KindHierarchyLevelLimitExceeded, "Maximum levels allowed: 15."},
		{long + "n", KindValidation, "the maximum is 1011"},
		{"/" + strings.Repeat("n", 2048), KindValidation,
			"at 'name' failed to satisfy constraint: Member must have length less than or equal to 2048"},
		{"", KindValidation, "at 'name' failed to satisfy constraint: Member must have length greater than or equal to 1"},
	} {
		_, err := f.svc.PutParameter(ctxBG, testRegion, PutInput{Name: tc.name, Value: "v", Type: TypeString})
		if KindOf(err) != tc.kind || err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("PutParameter(%.40q): %v, want %v %q", tc.name, err, tc.kind, tc.msg)
		}
	}
}

func TestGetNames(t *testing.T) {
	f := newFixture(t)
	f.put(t, PutInput{Name: "/app/key", Value: "v1", Type: TypeString})
	f.put(t, PutInput{Name: "/app/key", Value: "v2", Overwrite: true})
	f.put(t, PutInput{Name: "root", Value: "r", Type: TypeString})
	if _, err := f.svc.LabelParameterVersion(ctxBG, testRegion, "/app/key", ptr(int64(1)), []string{"stable"}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, value, selector string
		version               int64
	}{
		{"/app/key", "v2", "", 2},
		{" /app/key ", "v2", "", 2},
		{"/app/key:1", "v1", ":1", 1},
		{"/app/key:2", "v2", ":2", 2},
		{"/app/key:stable", "v1", ":stable", 1},
		{"arn:aws:ssm:us-east-1:123456789012:parameter/app/key", "v2", "", 2},
		{"arn:aws:ssm:us-east-1:123456789012:parameter/app/key:1", "v1", ":1", 1},
		{"arn:aws:ssm:us-east-1:123456789012:parameter/root", "r", "", 1},
		{"/root", "r", "", 1},
	} {
		p := f.get(t, tc.name, false)
		if p.Value != tc.value || p.Selector != tc.selector || p.Version != tc.version {
			t.Errorf("GetParameter(%q) = %+v", tc.name, p)
		}
	}
	for _, tc := range []struct {
		name string
		kind Kind
		msg  string
	}{
		{"/app/none", KindParameterNotFound, ""},
		{"/app/key:3", KindParameterVersionNotFound, "Systems Manager could not find version 3 of /app/key. Verify the version and try again."},
		{"/app/none:3", KindParameterNotFound, ""},
		{"/app/key:nolabel", KindParameterNotFound, ""},
		{"/app/key:", KindValidation, msgNameInvalid},
		{"/app/key:1:2", KindValidation, msgNameInvalid},
		{"/app/key:0", KindValidation, msgNameInvalid},
		{"app/key", KindValidation, msgNameInvalid},
		{"/a b", KindValidation, msgNameInvalid},
		{"arn:aws:ssm:eu-west-1:123456789012:parameter/app/key", KindParameterNotFound, ""},
		{"arn:aws:ssm:us-east-1:999999999999:parameter/app/key", KindParameterNotFound, ""},
		{"arn:aws:s3:::bucket", KindValidation, msgNameInvalid},
		{"/aws/service/global-infrastructure/regions", KindParameterNotFound, ""},
	} {
		_, err := f.svc.GetParameter(ctxBG, testRegion, tc.name, false)
		wantKind(t, err, tc.kind, tc.msg)
		if tc.kind == KindParameterNotFound && err.(*Error).Msg != "" {
			t.Errorf("ParameterNotFound with a message: %q", err.(*Error).Msg)
		}
	}
	// Parameters are per region.
	if _, err := f.svc.GetParameter(ctxBG, "eu-west-1", "/app/key", false); KindOf(err) != KindParameterNotFound {
		t.Errorf("another region: %v", err)
	}
}

func TestGetParameters(t *testing.T) {
	f := newFixture(t)
	f.put(t, PutInput{Name: "/a", Value: "1", Type: TypeString})
	f.put(t, PutInput{Name: "/b/c", Value: "s3cret", Type: TypeSecureString})
	params, invalid, err := f.svc.GetParameters(ctxBG, testRegion, []string{"/b/c", "/missing", "/a", "/a", "/a:9", "bad name"}, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(params) != 2 || params[0].Name != "/b/c" || params[0].Value != "s3cret" || params[1].Name != "a" {
		t.Errorf("parameters %+v", params)
	}
	if strings.Join(invalid, ",") != "/missing,/a:9,bad name" {
		t.Errorf("invalid %q", invalid)
	}
	_, _, err = f.svc.GetParameters(ctxBG, testRegion, strings.Split("a,b,c,d,e,f,g,h,i,j,k", ","), false)
	// [obs] "Value '[list, of, ten, items]' at 'names' failed to satisfy
	// constraint: Member must have length less than or equal to 10"
	wantKind(t, err, KindValidation,
		"1 validation error detected: Value '[a, b, c, d, e, f, g, h, i, j, k]' at 'names' failed to satisfy constraint: Member must have length less than or equal to 10")
	_, _, err = f.svc.GetParameters(ctxBG, testRegion, []string{}, false)
	wantKind(t, err, KindValidation, "Member must have length greater than or equal to 1")
}

func TestLabelRules(t *testing.T) {
	for l, ok := range map[string]bool{
		"prod": true, "Prod-1.a_b": true, "a" + strings.Repeat("x", 99): true,
		"1st": false, "AWSx": false, "ssm-l": false, "with space": false, "a/b": false, "": false,
		strings.Repeat("x", 101): false,
	} {
		if validLabel(l) != ok {
			t.Errorf("validLabel(%q) = %v", l, !ok)
		}
	}
}

func TestLevels(t *testing.T) {
	for name, want := range map[string]int{"a": 1, "/a": 1, "/a/b": 2, "/a/b/c": 3} {
		if got := levels(name); got != want {
			t.Errorf("levels(%q) = %d, want %d", name, got, want)
		}
	}
}
