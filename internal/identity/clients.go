package identity

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cognatehq/cognate/internal/store"
)

// OAuth flows an app client may allow.
const (
	FlowCode              = "code"
	FlowImplicit          = "implicit"
	FlowClientCredentials = "client_credentials"
)

var explicitAuthFlows = []string{"ADMIN_NO_SRP_AUTH", "CUSTOM_AUTH_FLOW_ONLY", "USER_PASSWORD_AUTH",
	"ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_CUSTOM_AUTH", "ALLOW_USER_PASSWORD_AUTH",
	"ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_AUTH"}

var tokenUnits = map[string]time.Duration{
	"seconds": time.Second, "minutes": time.Minute, "hours": time.Hour, "days": 24 * time.Hour,
}

// Token validity defaults and ranges [doc].
const (
	defaultAccessValidity  = time.Hour
	defaultIDValidity      = time.Hour
	defaultRefreshValidity = 30 * 24 * time.Hour
	minAccessValidity      = 5 * time.Minute
	maxAccessValidity      = 24 * time.Hour
	minRefreshValidity     = time.Hour
	maxRefreshValidity     = 10 * 365 * 24 * time.Hour
)

// validity converts a validity setting to a duration with its unit (def
// unit when none is configured).
func validity(value int64, unit, defUnit string) time.Duration {
	if unit == "" {
		unit = defUnit
	}
	return time.Duration(value) * tokenUnits[unit]
}

// AccessTokenTTL is the effective access-token validity of a client.
func (c ClientSettings) AccessTokenTTL() time.Duration {
	if c.AccessTokenValidity == 0 {
		return defaultAccessValidity
	}
	return validity(c.AccessTokenValidity, c.units().AccessToken, "hours")
}

// IDTokenTTL is the effective ID-token validity of a client.
func (c ClientSettings) IDTokenTTL() time.Duration {
	if c.IDTokenValidity == 0 {
		return defaultIDValidity
	}
	return validity(c.IDTokenValidity, c.units().IDToken, "hours")
}

// RefreshTokenTTL is the effective refresh-token validity of a client.
func (c ClientSettings) RefreshTokenTTL() time.Duration {
	if c.RefreshTokenValidity == 0 {
		return defaultRefreshValidity
	}
	return validity(c.RefreshTokenValidity, c.units().RefreshToken, "days")
}

func (c ClientSettings) units() TokenValidityUnits {
	if c.TokenValidityUnits == nil {
		return TokenValidityUnits{}
	}
	return *c.TokenValidityUnits
}

// listValue formats a list the way AWS validation messages show it.
func listValue(l []string) string { return "[" + strings.Join(l, ", ") + "]" }

func validateClientSettings(in *ClientSettings, hasSecret bool) error {
	var v validationErrors
	v.pattern(in.ClientName, "clientName", nameRe, 1, 128)
	if in.AccessTokenValidity != 0 {
		v.intRange(in.AccessTokenValidity, "accessTokenValidity", 1, 86400)
	}
	if in.IDTokenValidity != 0 {
		v.intRange(in.IDTokenValidity, "idTokenValidity", 1, 86400)
	}
	v.intRange(in.RefreshTokenValidity, "refreshTokenValidity", 0, 315360000)
	if u := in.TokenValidityUnits; u != nil {
		v.enum(u.AccessToken, "tokenValidityUnits.accessToken", "seconds", "minutes", "hours", "days")
		v.enum(u.IDToken, "tokenValidityUnits.idToken", "seconds", "minutes", "hours", "days")
		v.enum(u.RefreshToken, "tokenValidityUnits.refreshToken", "seconds", "minutes", "hours", "days")
	}
	if len(in.AllowedOAuthFlows) > 3 {
		v.add(listValue(in.AllowedOAuthFlows), "allowedOAuthFlows", "Member must have length less than or equal to 3")
	}
	for _, f := range in.AllowedOAuthFlows {
		if f != FlowCode && f != FlowImplicit && f != FlowClientCredentials {
			// [obs] Value '[code, token]' at 'allowedOAuthFlows' failed to satisfy constraint:
			// Member must satisfy constraint: [Member must satisfy enum value set: [implicit, client_credentials, code]]
			v.add(listValue(in.AllowedOAuthFlows), "allowedOAuthFlows",
				"Member must satisfy constraint: [Member must satisfy enum value set: [implicit, client_credentials, code]]")
			break
		}
	}
	if len(in.AllowedOAuthScopes) > maxScopesPerClient {
		v.add(listValue(in.AllowedOAuthScopes), "allowedOAuthScopes", fmt.Sprintf("Member must have length less than or equal to %d", maxScopesPerClient))
	}
	for _, sc := range in.AllowedOAuthScopes {
		if len(sc) < 1 || len(sc) > 256 || !identifierRe.MatchString(sc) {
			v.add(listValue(in.AllowedOAuthScopes), "allowedOAuthScopes",
				"Member must satisfy constraint: [Member must have length less than or equal to 256, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [\\x21\\x23-\\x5B\\x5D-\\x7E]+]")
			break
		}
	}
	for _, f := range in.ExplicitAuthFlows {
		ok := false
		for _, a := range explicitAuthFlows {
			ok = ok || f == a
		}
		if !ok {
			v.add(listValue(in.ExplicitAuthFlows), "explicitAuthFlows",
				"Member must satisfy constraint: [Member must satisfy enum value set: ["+strings.Join(explicitAuthFlows, ", ")+"]]")
			break
		}
	}
	for i, u := range in.CallbackURLs {
		v.pattern(u, fmt.Sprintf("callbackURLs.%d.member", i+1), redirectURLRe, 1, 1024)
	}
	for i, u := range in.LogoutURLs {
		v.pattern(u, fmt.Sprintf("logoutURLs.%d.member", i+1), redirectURLRe, 1, 1024)
	}
	if len(in.CallbackURLs) > 100 {
		v.add(len(in.CallbackURLs), "callbackURLs", "Member must have length less than or equal to 100")
	}
	if len(in.LogoutURLs) > 100 {
		v.add(len(in.LogoutURLs), "logoutURLs", "Member must have length less than or equal to 100")
	}
	if in.DefaultRedirectURI != "" {
		v.pattern(in.DefaultRedirectURI, "defaultRedirectURI", redirectURLRe, 1, 1024)
	}
	v.enum(in.PreventUserExistenceErrors, "preventUserExistenceErrors", "LEGACY", "ENABLED")
	if in.AuthSessionValidity != 0 {
		v.intRange(int64(in.AuthSessionValidity), "authSessionValidity", 3, 15)
	}
	if err := v.err(); err != nil {
		return err
	}

	// Effective validity ranges once units apply [doc]. [guess] message text.
	if in.AccessTokenValidity != 0 {
		if d := in.AccessTokenTTL(); d < minAccessValidity || d > maxAccessValidity {
			return errorf(KindInvalidParameter, "Invalid range for token validity. Access token validity must be between 5 minutes and 1 day.")
		}
	}
	if in.IDTokenValidity != 0 {
		if d := in.IDTokenTTL(); d < minAccessValidity || d > maxAccessValidity {
			return errorf(KindInvalidParameter, "Invalid range for token validity. ID token validity must be between 5 minutes and 1 day.")
		}
	}
	if in.RefreshTokenValidity != 0 {
		if d := in.RefreshTokenTTL(); d < minRefreshValidity || d > maxRefreshValidity {
			return errorf(KindInvalidParameter, "Invalid range for token validity. Refresh token validity must be between 60 minutes and 10 years.")
		}
	}

	// OAuth flow rules [doc]. [guess] message texts.
	hasCC := false
	for _, f := range in.AllowedOAuthFlows {
		hasCC = hasCC || f == FlowClientCredentials
	}
	if hasCC && !hasSecret {
		return errorf(KindInvalidOAuthFlow, "client_credentials flow can not be selected if client does not have a client secret.")
	}
	if hasCC && len(in.AllowedOAuthFlows) > 1 {
		return errorf(KindInvalidOAuthFlow, "client_credentials flow can not be selected with other OAuth flows.")
	}
	if in.AllowedOAuthFlowsUserPoolClient && (len(in.AllowedOAuthFlows) == 0 || len(in.AllowedOAuthScopes) == 0) {
		return errorf(KindInvalidOAuthFlow, "AllowedOAuthFlows and AllowedOAuthScopes are required if user pool client is allowed to use OAuth flows.")
	}
	if (containsStr(in.AllowedOAuthFlows, FlowCode) || containsStr(in.AllowedOAuthFlows, FlowImplicit)) && len(in.CallbackURLs) == 0 {
		return errorf(KindInvalidParameter, "A redirect URI must be provided when the authorization code grant or implicit grant is enabled.")
	}
	if in.DefaultRedirectURI != "" && !containsStr(in.CallbackURLs, in.DefaultRedirectURI) {
		return errorf(KindInvalidParameter, "DefaultRedirectURI must be one of the CallbackURLs.")
	}
	return nil
}

func containsStr(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// normaliseClientSettings fills Cognito's defaults for members left unset.
func normaliseClientSettings(in *ClientSettings) {
	if in.RefreshTokenValidity == 0 {
		in.RefreshTokenValidity = 30
		if in.TokenValidityUnits != nil && in.TokenValidityUnits.RefreshToken != "" && in.TokenValidityUnits.RefreshToken != "days" {
			in.RefreshTokenValidity = int64(defaultRefreshValidity / tokenUnits[in.TokenValidityUnits.RefreshToken])
		}
	}
	if len(in.ExplicitAuthFlows) == 0 {
		in.ExplicitAuthFlows = []string{"ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH"} // [doc]
	}
	if in.PreventUserExistenceErrors == "" {
		in.PreventUserExistenceErrors = "LEGACY" // [doc] API default
	}
	if in.EnableTokenRevocation == nil {
		t := true
		in.EnableTokenRevocation = &t // [doc]
	}
	if in.AuthSessionValidity == 0 {
		in.AuthSessionValidity = 3 // [doc] minutes
	}
}

// checkScopesExist returns ScopeDoesNotExistException for the first scope
// that is neither reserved nor defined by a resource server of the pool.
func checkScopesExist(ctx context.Context, st store.Store, poolID string, scopes []string) error {
	if len(scopes) == 0 {
		return nil
	}
	defined, err := definedScopes(ctx, st, poolID)
	if err != nil {
		return err
	}
	for _, sc := range scopes {
		if !reservedScopes[sc] && !defined[sc] {
			return errorf(KindScopeDoesNotExist, "Invalid scope requested: %s", sc) // [obs]
		}
	}
	return nil
}

func clientAAD(clientID string) string { return "client-secret:" + clientID }

func clientNotFound(clientID string) error {
	return errorf(KindResourceNotFound, "User pool client %s does not exist.", clientID) // [obs]
}

func (s *Service) clientFromRecord(rec store.Client) (Client, error) {
	var settings ClientSettings
	if err := json.Unmarshal(rec.Settings, &settings); err != nil {
		return Client{}, internal("decode client settings", err)
	}
	c := Client{PoolID: rec.PoolID, ClientID: rec.ID, CreatedAt: rec.CreatedAt, UpdatedAt: rec.UpdatedAt, Settings: settings}
	if rec.SecretSealed != nil {
		secret, err := s.sealer.Open(rec.SecretSealed, clientAAD(rec.ID))
		if err != nil {
			return Client{}, internal("open client secret of "+rec.ID, err)
		}
		c.ClientSecret = string(secret)
	}
	return c, nil
}

// NewClientID returns a fresh app client id in Cognito's format (26
// lower-case alphanumerics), for CreateUserPoolClientWithID.
func NewClientID() string { return newClientID() }

// CreateUserPoolClient creates an app client. With generateSecret (or a
// caller-chosen secret) it is a confidential client.
func (s *Service) CreateUserPoolClient(ctx context.Context, region, poolID string, in ClientSettings, generateSecret bool, secret string) (Client, error) {
	return s.createUserPoolClient(ctx, region, poolID, "", in, generateSecret, secret)
}

// CreateUserPoolClientWithID is CreateUserPoolClient with a client id the
// caller chose beforehand with NewClientID, so that it can record the id
// before the client exists (the stack engine journals it, and deletes the
// client by it if the process dies before the creation is recorded). A
// malformed id is an InvalidParameter error; so is one already taken,
// which creates nothing.
func (s *Service) CreateUserPoolClientWithID(ctx context.Context, region, poolID, clientID string, in ClientSettings, generateSecret bool, secret string) (Client, error) {
	if err := validateClientID(clientID); err != nil {
		return Client{}, err
	}
	return s.createUserPoolClient(ctx, region, poolID, clientID, in, generateSecret, secret)
}

// createUserPoolClient creates the client; clientID "" draws a fresh id.
func (s *Service) createUserPoolClient(ctx context.Context, region, poolID, clientID string, in ClientSettings, generateSecret bool, secret string) (Client, error) {
	if secret != "" {
		var v validationErrors
		v.sensitivePattern(secret, "clientSecret", regexpClientSecret, 24, 64)
		if err := v.err(); err != nil {
			return Client{}, err
		}
	}
	if secret == "" && generateSecret {
		secret = newClientSecret()
	}
	normaliseClientSettings(&in)
	if err := validateClientSettings(&in, secret != ""); err != nil {
		return Client{}, err
	}
	if _, err := s.getPool(ctx, region, poolID); err != nil {
		return Client{}, err
	}
	settings, err := json.Marshal(in)
	if err != nil {
		return Client{}, internal("encode client settings", err)
	}
	now := s.now().UTC()
	var rec store.Client
	err = s.store.InTx(ctx, func(tx store.Store) error {
		if err := checkScopesExist(ctx, tx, poolID, in.AllowedOAuthScopes); err != nil {
			return err
		}
		n, err := tx.CountClients(ctx, poolID)
		if err != nil {
			return err
		}
		if n >= maxClientsPerPool {
			return errorf(KindLimitExceeded, "The maximum number of app clients (%d) for the user pool has been reached.", maxClientsPerPool)
		}
		for attempt := 0; ; attempt++ {
			id := clientID
			if id == "" {
				id = newClientID()
			}
			rec = store.Client{ID: id, PoolID: poolID, Name: in.ClientName,
				Settings: settings, CreatedAt: now, UpdatedAt: now}
			if secret != "" {
				rec.SecretSealed = s.sealer.Seal([]byte(secret), clientAAD(rec.ID))
			}
			err := tx.CreateClient(ctx, rec)
			if errors.Is(err, store.ErrConflict) && clientID != "" {
				return errorf(KindInvalidParameter, "User pool client %s already exists.", clientID)
			}
			if errors.Is(err, store.ErrConflict) && attempt < 5 {
				continue
			}
			return err
		}
	})
	if err != nil {
		return Client{}, storeErr("create user pool client", notFoundAs(err, poolNotFound(poolID)))
	}
	s.log.InfoContext(ctx, "user pool client created", "pool_id", poolID, "client_id", rec.ID)
	return Client{PoolID: poolID, ClientID: rec.ID, ClientSecret: secret, CreatedAt: now, UpdatedAt: now, Settings: in}, nil
}

// getClient loads a client of a pool.
func (s *Service) getClient(ctx context.Context, region, poolID, clientID string) (store.Client, error) {
	if _, err := s.getPool(ctx, region, poolID); err != nil {
		return store.Client{}, err
	}
	if err := validateClientID(clientID); err != nil {
		return store.Client{}, err
	}
	rec, err := s.store.GetClient(ctx, clientID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && rec.PoolID != poolID) {
		return store.Client{}, clientNotFound(clientID)
	}
	if err != nil {
		return store.Client{}, internal("get client", err)
	}
	return rec, nil
}

// DescribeUserPoolClient returns a client with its secret.
func (s *Service) DescribeUserPoolClient(ctx context.Context, region, poolID, clientID string) (Client, error) {
	rec, err := s.getClient(ctx, region, poolID, clientID)
	if err != nil {
		return Client{}, err
	}
	return s.clientFromRecord(rec)
}

// ListUserPoolClients lists a pool's clients, maxResults (0-60) at a time.
func (s *Service) ListUserPoolClients(ctx context.Context, region, poolID, nextToken string, maxResults int) ([]Client, string, error) {
	if _, err := s.getPool(ctx, region, poolID); err != nil {
		return nil, "", err
	}
	limit, err := pageLimit(maxResults, "maxResults", 0, 60, 60)
	if err != nil {
		return nil, "", err
	}
	after, err := decodeToken(nextToken)
	if err != nil {
		return nil, "", err
	}
	recs, err := s.store.ListClients(ctx, poolID, store.Page{After: after, Limit: limit + 1})
	if err != nil {
		return nil, "", internal("list clients", err)
	}
	next := ""
	if len(recs) > limit {
		recs = recs[:limit]
		next = encodeToken(recs[limit-1].ID)
	}
	out := make([]Client, 0, len(recs))
	for _, r := range recs {
		c, err := s.clientFromRecord(r)
		if err != nil {
			return nil, "", err
		}
		out = append(out, c)
	}
	return out, next, nil
}

// UpdateUserPoolClient replaces a client's settings. As in Cognito, members
// left unset return to their defaults; the name is kept when none is given;
// the secret never changes.
func (s *Service) UpdateUserPoolClient(ctx context.Context, region, poolID, clientID string, in ClientSettings) (Client, error) {
	if _, err := s.getClient(ctx, region, poolID, clientID); err != nil {
		return Client{}, err
	}
	var out store.Client
	err := s.store.InTx(ctx, func(tx store.Store) error {
		if err := checkScopesExist(ctx, tx, poolID, in.AllowedOAuthScopes); err != nil {
			return err
		}
		return tx.UpdateClient(ctx, clientID, func(rec store.Client) (store.Client, error) {
			in := in // the store may run this closure again: work on a copy
			if in.ClientName == "" {
				in.ClientName = rec.Name
			}
			normaliseClientSettings(&in)
			if err := validateClientSettings(&in, rec.SecretSealed != nil); err != nil {
				return rec, err
			}
			b, err := json.Marshal(in)
			if err != nil {
				return rec, internal("encode client settings", err)
			}
			rec.Name, rec.Settings, rec.UpdatedAt = in.ClientName, b, s.now().UTC()
			out = rec
			return rec, nil
		})
	})
	if err != nil {
		return Client{}, storeErr("update user pool client", notFoundAs(err, clientNotFound(clientID)))
	}
	return s.clientFromRecord(out)
}

// DeleteUserPoolClient deletes a client; its tokens stop being accepted by
// Cognate's gateway at once.
func (s *Service) DeleteUserPoolClient(ctx context.Context, region, poolID, clientID string) error {
	if _, err := s.getClient(ctx, region, poolID, clientID); err != nil {
		return err
	}
	if err := s.store.DeleteClient(ctx, clientID); err != nil {
		return storeErr("delete user pool client", notFoundAs(err, clientNotFound(clientID)))
	}
	s.log.InfoContext(ctx, "user pool client deleted", "pool_id", poolID, "client_id", clientID)
	return nil
}

// secretMatches compares a presented secret with the stored one in
// constant time.
func secretMatches(stored, presented string) bool {
	return subtle.ConstantTimeCompare([]byte(stored), []byte(presented)) == 1
}
