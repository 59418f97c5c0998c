package provider

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/cognatehq/cognate/internal/gateway/apimodel"
	"github.com/cognatehq/cognate/internal/identity"
)

// PoolScopes is what the scope-wiring check needs of the identity
// service; *identity.Service implements it.
type PoolScopes interface {
	ListResourceServers(ctx context.Context, region, poolID, nextToken string, maxResults int) ([]identity.ResourceServer, string, error)
	ListUserPoolClients(ctx context.Context, region, poolID, nextToken string, maxResults int) ([]identity.Client, string, error)
}

// compileDefinition compiles a deployment's definition for the checks;
// a variable so that tests can stand in for it.
var compileDefinition = apimodel.Compile

// builtinScopes are the scopes Cognito defines itself: no resource
// server needs to define them [doc].
var builtinScopes = map[string]bool{
	"openid": true, "email": true, "phone": true, "profile": true, "aws.cognito.signin.user.admin": true,
}

// poolScopeInfo is what one pool offers: the scopes its resource servers
// define, and those its app clients may obtain.
type poolScopeInfo struct {
	defined    map[string]bool
	definedAll []string // sorted
	obtainable map[string]bool
}

// deploymentWarnings compiles def and checks its scope wiring. A
// definition that does not compile is reported, not refused: the
// gateway will say the same when it serves it.
func deploymentWarnings(ctx context.Context, pools PoolScopes, def apimodel.Definition) []string {
	return append(compileWarnings(def), deploymentScopeWarnings(ctx, pools, def)...)
}

// compileWarnings are what the gateway cannot serve of def: its compile
// error or its compile warnings.
func compileWarnings(def apimodel.Definition) []string {
	api, err := compileDefinition(def)
	if err != nil {
		return []string{fmt.Sprintf("the gateway cannot serve this deployment: %v", err)}
	}
	if api == nil {
		return nil
	}
	return append([]string(nil), api.Warnings...)
}

// deploymentScopeWarnings are the scope warnings of def (none when it
// does not compile: compileWarnings says so).
func deploymentScopeWarnings(ctx context.Context, pools PoolScopes, def apimodel.Definition) []string {
	api, err := compileDefinition(def)
	if err != nil || api == nil {
		return nil
	}
	return scopeWarnings(ctx, pools, api)
}

// scopeWarnings returns a warning for each scope a Cognito-authorized
// method of api asks for that a local pool of its authorizer does not
// define, or that no app client of the pool may obtain: AWS deploys
// either silently and then answers 401 to every token. Pools that are not
// in Cognate's store (real Cognito) are not checked.
func scopeWarnings(ctx context.Context, pools PoolScopes, api *apimodel.API) []string {
	if pools == nil || api == nil {
		return nil
	}
	cache := map[string]*poolScopeInfo{}
	var out []string
	for _, res := range api.Resources {
		verbs := make([]string, 0, len(res.Methods))
		for v := range res.Methods {
			verbs = append(verbs, v)
		}
		sort.Strings(verbs)
		for _, verb := range verbs {
			m := res.Methods[verb]
			if m.Authorization != apimodel.AuthCognito || m.Authorizer == nil || len(m.Scopes) == 0 {
				continue
			}
			route := m.HTTPMethod + " " + res.Path
			for _, arn := range m.Authorizer.ProviderARNs {
				region, poolID, ok := parsePoolARN(arn)
				if !ok {
					continue
				}
				info, ok := cache[arn]
				if !ok {
					var warn string
					info, warn = loadPoolScopes(ctx, pools, region, poolID)
					cache[arn] = info
					if warn != "" {
						out = append(out, warn)
					}
				}
				if info == nil {
					continue
				}
				for _, sc := range m.Scopes {
					out = append(out, scopeProblem(m.Authorizer.Name, route, sc, poolID, info)...)
				}
			}
		}
	}
	return out
}

func scopeProblem(authorizer, route, scope, poolID string, info *poolScopeInfo) []string {
	if !builtinScopes[scope] && !info.defined[scope] {
		defines := "it defines none"
		if len(info.definedAll) > 0 {
			defines = "it defines: " + strings.Join(info.definedAll, ", ")
		}
		return []string{fmt.Sprintf("authorizer %s on %s asks for scope %s, which no resource server of pool %s defines (%s)",
			authorizer, route, scope, poolID, defines)}
	}
	if !info.obtainable[scope] {
		return []string{fmt.Sprintf("authorizer %s on %s asks for scope %s, which no app client of pool %s may obtain (no client lists it in AllowedOAuthScopes)",
			authorizer, route, scope, poolID)}
	}
	return nil
}

// loadPoolScopes reads a pool's resource servers and clients. It returns
// nil for a pool that is not local, and a warning when the pool could not
// be read.
func loadPoolScopes(ctx context.Context, pools PoolScopes, region, poolID string) (*poolScopeInfo, string) {
	info := &poolScopeInfo{defined: map[string]bool{}, obtainable: map[string]bool{}}
	for next := ""; ; {
		rss, n, err := pools.ListResourceServers(ctx, region, poolID, next, 50)
		if identity.KindOf(err) == identity.KindResourceNotFound {
			return nil, "" // not a local pool: real Cognito, say
		}
		if err != nil {
			return nil, fmt.Sprintf("could not check the authorizer scopes against pool %s: %v", poolID, err)
		}
		for _, rs := range rss {
			for _, sc := range rs.Scopes {
				name := rs.Identifier + "/" + sc.Name
				info.defined[name] = true
				info.definedAll = append(info.definedAll, name)
			}
		}
		if next = n; next == "" {
			break
		}
	}
	sort.Strings(info.definedAll)
	for next := ""; ; {
		cs, n, err := pools.ListUserPoolClients(ctx, region, poolID, next, 60)
		if err != nil {
			return nil, fmt.Sprintf("could not check the authorizer scopes against the clients of pool %s: %v", poolID, err)
		}
		for _, c := range cs {
			if !c.Settings.AllowedOAuthFlowsUserPoolClient {
				continue // OAuth flows are off: the client gets no scope
			}
			for _, sc := range c.Settings.AllowedOAuthScopes {
				info.obtainable[sc] = true
			}
		}
		if next = n; next == "" {
			break
		}
	}
	return info, ""
}

// parsePoolARN splits arn:aws:cognito-idp:{region}:{account}:userpool/{id}.
func parsePoolARN(arn string) (region, poolID string, ok bool) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "cognito-idp" {
		return "", "", false
	}
	id, found := strings.CutPrefix(parts[5], "userpool/")
	if !found || id == "" {
		return "", "", false
	}
	return parts[3], id, true
}
