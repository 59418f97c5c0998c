package oauth_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/cognatehq/cognate/internal/identity"
	"github.com/cognatehq/cognate/internal/oauth"
	"github.com/cognatehq/cognate/internal/requestid"
	"github.com/cognatehq/cognate/internal/sealer"
	"github.com/cognatehq/cognate/internal/store/sqlstore"
)

const (
	region = "us-east-1"
	domain = "orders-test"
	// fixedSecret is the secret of the fixture's "plus" client: it has a
	// '+', which RFC 6749 §2.3.1 form-encoding inside Basic must carry.
	fixedSecret = "plus+secret+0123456789abcdefghij"
)

// fixture is a Cognate hosted domain on an httptest server: a real
// identity.Service on SQLite, the oauth.Handler under test, and a tiny
// router that routes the way the central server does.
type fixture struct {
	srv     *httptest.Server
	store   *sqlstore.Store
	svc     *identity.Service
	handler *oauth.Handler
	reg     *prometheus.Registry
	logs    *syncBuffer

	poolID      string // has the domain
	otherPoolID string // has no domain
	issuer      string

	cc30       identity.Client // client_credentials, 30 minutes, scopes orders/read orders/write
	cc5        identity.Client // client_credentials, 5 minutes, scope orders/read
	plus       identity.Client // client_credentials, secret fixedSecret
	noOAuth    identity.Client // client_credentials but AllowedOAuthFlowsUserPoolClient false
	codeClient identity.Client // code flow only
	public     identity.Client // no secret
	otherPool  identity.Client // client_credentials client of otherPoolID
}

// syncBuffer is a bytes.Buffer safe for the concurrent writes of a server.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// route is the test's stand-in for the central server's router:
// /_domain/{domain}/... goes to ServeDomain, /{pool}/.well-known/{name} to
// ServeWellKnown. Like the server's middleware it gives each request an id.
func route(h *oauth.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r = r.WithContext(requestid.NewContext(r.Context(), "req-"+strings.TrimPrefix(r.URL.Path, "/")))
		path := r.URL.Path
		if rest, ok := strings.CutPrefix(path, "/_domain/"); ok {
			d, sub, _ := strings.Cut(rest, "/")
			h.ServeDomain(w, r, d, "", "/"+sub)
			return
		}
		if parts := strings.Split(strings.TrimPrefix(path, "/"), "/"); len(parts) == 3 && parts[1] == ".well-known" {
			h.ServeWellKnown(w, r, parts[0], parts[2])
			return
		}
		http.NotFound(w, r)
	})
}

func newFixture(tb testing.TB) *fixture {
	return newFixtureStyle(tb, identity.IssuerLocal)
}

func newFixtureStyle(tb testing.TB, style identity.IssuerStyle) *fixture {
	tb.Helper()
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, filepath.Join(tb.TempDir(), "cognate.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	seal, err := sealer.New(bytes.Repeat([]byte{7}, sealer.KeySize))
	if err != nil {
		tb.Fatal(err)
	}

	f := &fixture{store: st, reg: prometheus.NewRegistry(), logs: &syncBuffer{}}
	f.srv = httptest.NewUnstartedServer(nil)
	f.srv.Start()
	tb.Cleanup(f.srv.Close)

	log := slog.New(slog.NewJSONHandler(f.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	f.svc = identity.New(identity.Config{Store: st, Sealer: seal, AccountID: "123456789012",
		PublicURL: f.srv.URL, IssuerStyle: style, Logger: log})
	f.handler, err = oauth.New(oauth.Config{Identity: f.svc, PublicURL: f.srv.URL, Logger: log, Metrics: f.reg})
	if err != nil {
		tb.Fatal(err)
	}
	f.srv.Config.Handler = route(f.handler)

	pool, err := f.svc.CreateUserPool(ctx, region, identity.PoolSettings{PoolName: "orders"})
	if err != nil {
		tb.Fatal(err)
	}
	f.poolID = pool.ID
	f.issuer = f.svc.Issuer(region, pool.ID)
	if _, err := f.svc.CreateUserPoolDomain(ctx, region, pool.ID, domain, nil, 0); err != nil {
		tb.Fatal(err)
	}
	other, err := f.svc.CreateUserPool(ctx, region, identity.PoolSettings{PoolName: "other"})
	if err != nil {
		tb.Fatal(err)
	}
	f.otherPoolID = other.ID
	for _, p := range []string{pool.ID, other.ID} {
		if _, err := f.svc.CreateResourceServer(ctx, region, identity.ResourceServer{PoolID: p,
			Identifier: "orders", Name: "orders",
			Scopes: []identity.Scope{{Name: "read", Description: "read"}, {Name: "write", Description: "write"}}}); err != nil {
			tb.Fatal(err)
		}
	}

	cc := func(pool string, scopes []string, validity int64, unit string, oauthOn bool, secret string) identity.Client {
		tb.Helper()
		s := identity.ClientSettings{ClientName: "m2m", AllowedOAuthFlows: []string{identity.FlowClientCredentials},
			AllowedOAuthScopes: scopes, AllowedOAuthFlowsUserPoolClient: oauthOn, AccessTokenValidity: validity}
		if unit != "" {
			s.TokenValidityUnits = &identity.TokenValidityUnits{AccessToken: unit}
		}
		c, err := f.svc.CreateUserPoolClient(ctx, region, pool, s, true, secret)
		if err != nil {
			tb.Fatal(err)
		}
		return c
	}
	both := []string{"orders/read", "orders/write"}
	f.cc30 = cc(pool.ID, both, 30, "minutes", true, "")
	f.cc5 = cc(pool.ID, []string{"orders/read"}, 5, "minutes", true, "")
	f.plus = cc(pool.ID, both, 0, "", true, fixedSecret)
	f.noOAuth = cc(pool.ID, both, 0, "", false, "")
	f.otherPool = cc(other.ID, both, 0, "", true, "")
	f.codeClient, err = f.svc.CreateUserPoolClient(ctx, region, pool.ID, identity.ClientSettings{ClientName: "web",
		AllowedOAuthFlows: []string{identity.FlowCode}, AllowedOAuthScopes: []string{"openid", "orders/read"},
		AllowedOAuthFlowsUserPoolClient: true, CallbackURLs: []string{"https://app.example.com/cb"}}, true, "")
	if err != nil {
		tb.Fatal(err)
	}
	f.public, err = f.svc.CreateUserPoolClient(ctx, region, pool.ID, identity.ClientSettings{ClientName: "spa"}, false, "")
	if err != nil {
		tb.Fatal(err)
	}
	return f
}

// tokenURL is the path-style token endpoint of the fixture's domain.
func (f *fixture) tokenURL() string { return f.srv.URL + "/_domain/" + domain + "/oauth2/token" }
