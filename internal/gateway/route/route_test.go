package route

import (
	"maps"
	"reflect"
	"testing"

	"github.com/cognatehq/cognate/internal/gateway/apimodel"
)

// testAPI builds an API whose resources have the given methods.
func testAPI(routes map[string][]string) *apimodel.API {
	api := &apimodel.API{}
	for _, path := range sortedKeys(routes) {
		r := &apimodel.Resource{ID: path, Path: path, Methods: map[string]*apimodel.Method{}}
		for _, m := range routes[path] {
			r.Methods[m] = &apimodel.Method{HTTPMethod: m}
		}
		api.Resources = append(api.Resources, r)
	}
	return api
}

func sortedKeys(m map[string][]string) []string {
	var keys []string
	for k := range maps.Keys(m) {
		keys = append(keys, k)
	}
	return keys
}

var petstore = map[string][]string{
	"/":                   {"GET"},
	"/pets":               {"GET", "POST"},
	"/pets/{id}":          {"GET", "ANY"},
	"/pets/mine":          {"GET"},
	"/pets/{id}/toys":     {"GET"},
	"/files/{proxy+}":     {"ANY"},
	"/files/readme":       {"GET"},
	"/a/b/c":              {"GET"},
	"/{x}/b/d":            {"GET"},
	"/orders":             {}, // no methods: never matched
	"/orders/{orderId}":   {"DELETE"},
	"/static/{proxy+}":    {"GET"},
	"/static/{name}/info": {"GET"},
}

func TestMatch(t *testing.T) {
	tab := New(testAPI(petstore))
	tests := []struct {
		name, method, path string
		resource           string // "" means no match
		verb               string
		params             map[string]string
	}{
		{"root", "GET", "/", "/", "GET", nil},
		{"root ANY does not catch children", "GET", "/nothing", "", "", nil},
		{"literal", "GET", "/pets", "/pets", "GET", nil},
		{"trailing slash ignored", "GET", "/pets/", "/pets", "GET", nil},
		{"several trailing slashes ignored", "POST", "/pets///", "/pets", "POST", nil},
		{"wrong method on a defined path", "DELETE", "/pets", "", "", nil},
		{"HEAD is not GET", "HEAD", "/pets", "", "", nil},
		{"param", "GET", "/pets/42", "/pets/{id}", "GET", map[string]string{"id": "42"}},
		{"explicit method beats ANY", "GET", "/pets/42", "/pets/{id}", "GET", map[string]string{"id": "42"}},
		{"ANY serves the others", "PATCH", "/pets/42", "/pets/{id}", "ANY", map[string]string{"id": "42"}},
		{"ANY does not serve unknown verbs", "TRACE", "/pets/42", "", "", nil},
		{"literal beats param", "GET", "/pets/mine", "/pets/mine", "GET", nil},
		{"literal resource lacking the method does not fall back", "POST", "/pets/mine", "", "", nil},
		{"nested param", "GET", "/pets/7/toys", "/pets/{id}/toys", "GET", map[string]string{"id": "7"}},
		{"greedy one segment", "PUT", "/files/a", "/files/{proxy+}", "ANY", map[string]string{"proxy": "a"}},
		{"greedy many segments", "GET", "/files/a/b/c.txt", "/files/{proxy+}", "ANY", map[string]string{"proxy": "a/b/c.txt"}},
		{"greedy trailing slash trimmed", "GET", "/files/a/b/", "/files/{proxy+}", "ANY", map[string]string{"proxy": "a/b"}},
		{"greedy keeps empty segments", "GET", "/files/a//b", "/files/{proxy+}", "ANY", map[string]string{"proxy": "a//b"}},
		{"greedy needs a segment", "GET", "/files", "", "", nil},
		{"greedy needs a segment, trailing slash", "GET", "/files/", "", "", nil},
		{"literal beats greedy", "GET", "/files/readme", "/files/readme", "GET", nil},
		{"literal beats greedy, not its method", "POST", "/files/readme", "", "", nil},
		{"greedy below a literal", "GET", "/files/readme/more", "/files/{proxy+}", "ANY", map[string]string{"proxy": "readme/more"}},
		{"backtrack from literal to param", "GET", "/a/b/d", "/{x}/b/d", "GET", map[string]string{"x": "a"}},
		{"literal chain", "GET", "/a/b/c", "/a/b/c", "GET", nil},
		{"methodless resource is skipped", "GET", "/orders", "", "", nil},
		{"param below methodless resource", "DELETE", "/orders/9", "/orders/{orderId}", "DELETE", map[string]string{"orderId": "9"}},
		{"param beats greedy", "GET", "/static/x/info", "/static/{name}/info", "GET", map[string]string{"name": "x"}},
		{"greedy after param dead end", "GET", "/static/x/other", "/static/{proxy+}", "GET", map[string]string{"proxy": "x/other"}},
		{"empty segment matches no param", "GET", "/pets//toys", "", "", nil},
		{"empty segment matches no literal", "GET", "//pets", "", "", nil},
		{"no leading slash", "GET", "pets", "", "", nil},
		{"empty path", "GET", "", "", "", nil},
		{"double slash is root", "GET", "//", "/", "GET", nil},
		{"case-sensitive literal", "GET", "/PETS", "", "", nil},
		{"lower-case method", "get", "/pets", "", "", nil},
		{"decoded path is not decoded again", "GET", "/pets/a%2Fb", "/pets/{id}", "GET", map[string]string{"id": "a%2Fb"}},
		{"decoded values pass through", "GET", "/pets/a b", "/pets/{id}", "GET", map[string]string{"id": "a b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, ok := tab.Match(tt.method, tt.path)
			if tt.resource == "" {
				if ok {
					t.Fatalf("Match(%s %q) = %s %s, want no match", tt.method, tt.path, m.Method.HTTPMethod, m.Resource.Path)
				}
				return
			}
			if !ok {
				t.Fatalf("Match(%s %q): no match, want %s %s", tt.method, tt.path, tt.verb, tt.resource)
			}
			if m.Resource.Path != tt.resource || m.Method.HTTPMethod != tt.verb {
				t.Errorf("Match(%s %q) = %s %s, want %s %s", tt.method, tt.path, m.Method.HTTPMethod, m.Resource.Path, tt.verb, tt.resource)
			}
			if !reflect.DeepEqual(m.PathParams, tt.params) {
				t.Errorf("Match(%s %q) params = %v, want %v", tt.method, tt.path, m.PathParams, tt.params)
			}
		})
	}
}

func TestRootAndGreedyAtRoot(t *testing.T) {
	tab := New(testAPI(map[string][]string{"/": {"ANY"}, "/{proxy+}": {"ANY"}}))
	if m, ok := tab.Match("POST", "/"); !ok || m.Resource.Path != "/" || m.PathParams != nil {
		t.Errorf("POST / = %+v, %v; want the root resource without params", m, ok)
	}
	m, ok := tab.Match("GET", "/x/y")
	if !ok || m.Resource.Path != "/{proxy+}" || m.PathParams["proxy"] != "x/y" {
		t.Errorf("GET /x/y = %+v, %v; want /{proxy+} with proxy=x/y", m, ok)
	}
}

func TestMethods(t *testing.T) {
	tab := New(testAPI(petstore))
	if got, want := tab.Methods("/pets/1"), []string{"ANY", "GET"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Methods(/pets/1) = %v, want %v", got, want)
	}
	if got := tab.Methods("/nope"); got != nil {
		t.Errorf("Methods(/nope) = %v, want nil", got)
	}
}

func TestNilAndEmptyAPI(t *testing.T) {
	for _, api := range []*apimodel.API{nil, {}} {
		if _, ok := New(api).Match("GET", "/"); ok {
			t.Errorf("an empty table matched GET /")
		}
	}
}

func TestMatchDoesNotAllocateWithoutParams(t *testing.T) {
	tab := New(testAPI(petstore))
	allocs := testing.AllocsPerRun(100, func() { tab.Match("GET", "/pets/mine") })
	if allocs != 0 {
		t.Errorf("Match without params allocates %v times, want 0", allocs)
	}
	var sink map[string]string
	mapAllocs := testing.AllocsPerRun(100, func() {
		sink = make(map[string]string, 1)
		sink["id"] = "7"
	})
	allocs = testing.AllocsPerRun(100, func() { tab.Match("GET", "/pets/7/toys") })
	if allocs > mapAllocs {
		t.Errorf("Match with params allocates %v times, want only the params map's %v", allocs, mapAllocs)
	}
	_ = sink
}

func BenchmarkMatch(b *testing.B) {
	routes := map[string][]string{}
	for k, v := range petstore {
		routes[k] = v
	}
	for _, p := range []string{"users", "items", "carts", "admin", "reports", "health", "search", "login"} {
		routes["/"+p] = []string{"GET", "POST"}
		routes["/"+p+"/{id}"] = []string{"GET", "PUT", "DELETE"}
		routes["/"+p+"/{id}/history"] = []string{"GET"}
	}
	tab := New(testAPI(routes))
	cases := []struct{ name, method, path string }{
		{"literal", "GET", "/health"},
		{"param", "GET", "/users/12345"},
		{"nested", "GET", "/reports/2026/history"},
		{"greedy", "GET", "/files/a/b/c/d.txt"},
		{"miss", "GET", "/nope/at/all"},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				tab.Match(c.method, c.path)
			}
		})
	}
}
