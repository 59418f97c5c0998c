package ssm

import (
	"encoding/base64"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestPutCreatesAndOverwrites(t *testing.T) {
	f := newFixture(t)
	res := f.put(t, PutInput{Name: "/app/db/url", Value: "postgres://db", Type: TypeString, Description: str("the db")})
	if res != (PutResult{Version: 1, Tier: TierStandard}) {
		t.Fatalf("first put: %+v", res)
	}
	p := f.get(t, "/app/db/url", false)
	want := Parameter{Name: "/app/db/url", Type: TypeString, Value: "postgres://db", Version: 1, LastModified: f.now,
		ARN: "arn:aws:ssm:us-east-1:123456789012:parameter/app/db/url", DataType: DataTypeText}
	if p != want {
		t.Fatalf("GetParameter:\n got  %+v\n want %+v", p, want)
	}

	_, err := f.svc.PutParameter(ctxBG, testRegion, PutInput{Name: "/app/db/url", Value: "postgres://db", Type: TypeString})
	wantKind(t, err, KindParameterAlreadyExists,
		"The parameter already exists. To overwrite this value, set the overwrite option in the request to true.")

	// Every overwrite is a new version, even with the same value; absent
	// members keep their values.
	f.now = f.now.Add(time.Minute)
	for v := int64(2); v <= 3; v++ {
		res = f.put(t, PutInput{Name: "/app/db/url", Value: "postgres://db", Overwrite: true})
		if res.Version != v {
			t.Fatalf("overwrite: version %d, want %d", res.Version, v)
		}
	}
	p = f.get(t, "/app/db/url", false)
	if p.Version != 3 || p.Type != TypeString || !p.LastModified.Equal(f.now) {
		t.Fatalf("after overwrites: %+v", p)
	}
	md, _, err := f.svc.DescribeParameters(ctxBG, testRegion, DescribeQuery{})
	if err != nil || len(md) != 1 || md[0].Description != "the db" {
		t.Fatalf("description kept across overwrites: %+v %v", md, err)
	}
	if !strings.Contains(f.logs.String(), "parameter put") || strings.Contains(f.logs.String(), "postgres://db") {
		t.Errorf("logs:\n%s", f.logs.String())
	}
}

func TestPutRules(t *testing.T) {
	f := newFixture(t)
	f.put(t, PutInput{Name: "/typed", Value: "v", Type: TypeString})
	f.put(t, PutInput{Name: "/advanced", Value: "v", Type: TypeString, Tier: TierAdvanced})
	big := strings.Repeat("x", MaxStandardValueBytes+1)
	for _, tc := range []struct {
		name string
		in   PutInput
		kind Kind
		msg  string
	}{
		{"no type on create", PutInput{Name: "/new", Value: "v"}, KindValidation,
			"A parameter type is required when you create a parameter."},
		{"bad type", PutInput{Name: "/new", Value: "v", Type: "Str"}, KindValidation,
			"1 validation error detected: Value 'Str' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [SecureString, StringList, String]"},
		{"empty value", PutInput{Name: "/new", Value: "", Type: TypeString}, KindValidation,
			"1 validation error detected: Value at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"two model errors", PutInput{Name: "/new", Value: "", Type: "x"}, KindValidation, "2 validation errors detected: "},
		{"type change", PutInput{Name: "/typed", Value: "v", Type: TypeSecureString, Overwrite: true}, KindHierarchyTypeMismatch,
			"You can't change the type of typed from String to SecureString"},
		{"tags with overwrite", PutInput{Name: "/typed", Value: "v", Overwrite: true, Tags: []Tag{{"k", "v"}}}, KindValidation,
			"Invalid request: tags and overwrite can't be used together."},
		{"value over 4 KB", PutInput{Name: "/new", Value: big, Type: TypeString}, KindValidation,
			"Standard tier parameters support a maximum parameter value of 4096 characters."},
		{"value over 8 KB", PutInput{Name: "/new", Value: strings.Repeat("x", MaxAdvancedValueBytes+1), Type: TypeString, Tier: TierAdvanced},
			KindValidation, "Advanced tier parameters support a maximum parameter value of 8192 characters."},
		{"value over 32768", PutInput{Name: "/new", Value: strings.Repeat("x", 32769), Type: TypeString}, KindValidation,
			"Value at 'value' failed to satisfy constraint: Member must have length less than or equal to 32768"},
		{"downgrade", PutInput{Name: "/advanced", Value: "v", Overwrite: true, Tier: TierStandard}, KindValidation,
			"You can't downgrade a parameter from the advanced-parameter tier"},
		{"bad tier", PutInput{Name: "/new", Value: "v", Type: TypeString, Tier: "Gold"}, KindValidation, "at 'tier'"},
		{"data type", PutInput{Name: "/new", Value: "v", Type: TypeString, DataType: "Text"}, KindValidation,
			"The following data type is not supported: Text (Data type names are all lowercase.)"},
		{"key id on a String", PutInput{Name: "/new", Value: "v", Type: TypeString, KeyID: str("alias/x")}, KindValidation,
			"KeyId can be given only for a SecureString parameter"},
		{"bad key id", PutInput{Name: "/new", Value: "v", Type: TypeSecureString, KeyID: str("alias x")}, KindValidation,
			"at 'keyId' failed to satisfy constraint: Member must satisfy regular expression pattern"},
		{"long description", PutInput{Name: "/new", Value: "v", Type: TypeString, Description: str(strings.Repeat("d", 1025))},
			KindValidation, "at 'description' failed to satisfy constraint: Member must have length less than or equal to 1024"},
		{"policies", PutInput{Name: "/new", Value: "v", Type: TypeString, Policies: str(`[{"Type":"Expiration"}]`)},
			KindUnsupportedOperation, "Cognate does not support parameter policies"},
		{"nested parameter", PutInput{Name: "/new", Value: "{{ssm:/other}}", Type: TypeString}, KindValidation,
			"Parameter value can't nest another parameter."},
		{"pattern mismatch", PutInput{Name: "/new", Value: "12a", Type: TypeString, AllowedPattern: str(`^\d+$`)},
			KindParameterPatternMismatch, `Parameter value, cannot be validated against allowedPattern: ^\d+$`},
		{"pattern not whole", PutInput{Name: "/new", Value: "12a", Type: TypeString, AllowedPattern: str(`\d+`)},
			KindParameterPatternMismatch, "allowedPattern"},
		{"invalid pattern", PutInput{Name: "/new", Value: "1", Type: TypeString, AllowedPattern: str(`(?=\d)`)},
			KindInvalidAllowedPattern, "The request doesn't meet the regular expression requirement"},
		{"bad tag key", PutInput{Name: "/new", Value: "v", Type: TypeString, Tags: []Tag{{"", "v"}}}, KindValidation,
			"at 'tags.1.member.key'"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.svc.PutParameter(ctxBG, testRegion, tc.in)
			wantKind(t, err, tc.kind, tc.msg)
			if strings.Contains(err.Error(), "12a") || (len(tc.in.Value) > 100 && strings.Contains(err.Error(), tc.in.Value)) {
				t.Errorf("the error echoes the value: %v", err)
			}
		})
	}
	if _, err := f.svc.GetParameter(ctxBG, testRegion, "/new", false); KindOf(err) != KindParameterNotFound {
		t.Fatalf("a refused put created the parameter: %v", err)
	}
}

func TestPutTiers(t *testing.T) {
	f := newFixture(t)
	big := strings.Repeat("x", MaxStandardValueBytes+1)
	for _, tc := range []struct {
		name, tier, value, want string
	}{
		{"/std", "", "v", TierStandard},
		{"/std4k", TierStandard, strings.Repeat("x", MaxStandardValueBytes), TierStandard},
		{"/adv", TierAdvanced, "v", TierAdvanced},
		{"/it-small", TierIntelligentTiering, "v", TierStandard},
		{"/it-big", TierIntelligentTiering, big, TierAdvanced},
	} {
		res := f.put(t, PutInput{Name: tc.name, Value: tc.value, Type: TypeString, Tier: tc.tier})
		if res.Tier != tc.want {
			t.Errorf("%s: tier %s, want %s", tc.name, res.Tier, tc.want)
		}
	}
	// An Advanced parameter stays Advanced when the tier is left out or
	// left to Intelligent-Tiering.
	for _, tier := range []string{"", TierIntelligentTiering} {
		if res := f.put(t, PutInput{Name: "/adv", Value: "v", Overwrite: true, Tier: tier}); res.Tier != TierAdvanced {
			t.Errorf("overwrite with tier %q: %s", tier, res.Tier)
		}
	}
	// A Standard one may become Advanced.
	if res := f.put(t, PutInput{Name: "/std", Value: big, Overwrite: true, Tier: TierAdvanced}); res.Tier != TierAdvanced {
		t.Errorf("upgrade: %s", res.Tier)
	}
}

func TestPutAllowedPatternIsKept(t *testing.T) {
	f := newFixture(t)
	f.put(t, PutInput{Name: "/port", Value: "8080", Type: TypeString, AllowedPattern: str(`^\d+$`)})
	_, err := f.svc.PutParameter(ctxBG, testRegion, PutInput{Name: "/port", Value: "http", Overwrite: true})
	wantKind(t, err, KindParameterPatternMismatch, `^\d+$`)
	f.put(t, PutInput{Name: "/port", Value: "http", Overwrite: true, AllowedPattern: str("")})
}

func TestPutSecureString(t *testing.T) {
	f := newFixture(t)
	const secret = "hunter2-correct-horse"
	f.put(t, PutInput{Name: "/app/secret", Value: secret, Type: TypeSecureString})
	rec, err := f.store.GetParameter(ctxBG, testRegion, "/app/secret")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(rec.Value), secret) || rec.KeyID != DefaultKeyID {
		t.Fatalf("stored record: %+v", rec)
	}
	p := f.get(t, "/app/secret", false)
	if p.Value != base64.StdEncoding.EncodeToString(rec.Value) || strings.Contains(p.Value, secret) {
		t.Fatalf("undecrypted value %q", p.Value)
	}
	if p = f.get(t, "/app/secret", true); p.Value != secret {
		t.Fatalf("decrypted value %q", p.Value)
	}
	// The sealed value is bound to its version: the sealed value of
	// version 1 does not open as version 2.
	f.put(t, PutInput{Name: "/app/secret", Value: "second", Overwrite: true, KeyID: str("alias/custom")})
	v2, err := f.store.GetParameterVersion(ctxBG, testRegion, "/app/secret", 2)
	if err != nil || v2.KeyID != "alias/custom" {
		t.Fatalf("version 2: %+v %v", v2, err)
	}
	rec.Version = 2
	if _, err := f.svc.valueOf(rec, true); KindOf(err) != KindInternal {
		t.Fatalf("a sealed value moved to another version opened: %v", err)
	}
	if p = f.get(t, "/app/secret:1", true); p.Value != secret || p.Selector != ":1" {
		t.Fatalf("version 1: %+v", p)
	}
	// The key id carries over when the overwrite leaves it out.
	f.put(t, PutInput{Name: "/app/secret", Value: "third", Overwrite: true})
	md, _, err := f.svc.DescribeParameters(ctxBG, testRegion, DescribeQuery{})
	if err != nil || md[0].KeyID != "alias/custom" {
		t.Fatalf("key id after overwrite: %+v %v", md, err)
	}
	if strings.Contains(f.logs.String(), secret) {
		t.Fatalf("the secret is in the logs:\n%s", f.logs.String())
	}
}

func TestPutVersionLimit(t *testing.T) {
	f := newFixture(t)
	for i := range MaxVersions {
		f.put(t, PutInput{Name: "/busy", Value: fmt.Sprint(i), Type: TypeString, Overwrite: true})
	}
	// The 101st version drops version 1.
	f.put(t, PutInput{Name: "/busy", Value: "101", Overwrite: true})
	if _, err := f.svc.GetParameter(ctxBG, testRegion, "/busy:1", false); KindOf(err) != KindParameterVersionNotFound {
		t.Fatalf("version 1 after 101 puts: %v", err)
	}
	hist, _, err := f.svc.GetParameterHistory(ctxBG, testRegion, HistoryQuery{Name: "/busy"})
	if err != nil || len(hist) != 50 || hist[0].Version != 2 {
		t.Fatalf("history: %d entries, %v", len(hist), err)
	}
	// A label on the oldest version blocks the put that would drop it.
	if _, err := f.svc.LabelParameterVersion(ctxBG, testRegion, "/busy", ptr(int64(2)), []string{"pinned"}); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.PutParameter(ctxBG, testRegion, PutInput{Name: "/busy", Value: "102", Overwrite: true})
	wantKind(t, err, KindParameterMaxVersionLimitExceeded, "Version 2, the oldest version, can't be deleted because it has a label associated with it.")
	if p := f.get(t, "/busy", false); p.Version != 101 {
		t.Fatalf("newest version after the refused put: %d", p.Version)
	}
}

// TestPutConcurrentOverwrites: 20 overwrites at once each get their own
// version.
func TestPutConcurrentOverwrites(t *testing.T) {
	f := newFixture(t)
	f.put(t, PutInput{Name: "/race", Value: "0", Type: TypeString})
	const n = 20
	versions := make([]int64, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			res, err := f.svc.PutParameter(ctxBG, testRegion, PutInput{Name: "/race", Value: fmt.Sprint(i + 1), Overwrite: true})
			if err != nil {
				t.Error(err)
			}
			versions[i] = res.Version
		})
	}
	wg.Wait()
	seen := map[int64]bool{}
	for _, v := range versions {
		if v < 2 || v > n+1 || seen[v] {
			t.Fatalf("versions %v", versions)
		}
		seen[v] = true
	}
}

func ptr[T any](v T) *T { return &v }
