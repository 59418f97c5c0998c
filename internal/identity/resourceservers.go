package identity

import (
	"context"
	"errors"
	"fmt"

	"github.com/cognatehq/cognate/internal/store"
)

func validateResourceServer(rs ResourceServer) error {
	var v validationErrors
	v.pattern(rs.Identifier, "identifier", identifierRe, 1, 256)
	v.pattern(rs.Name, "name", nameRe, 1, 256)
	if len(rs.Scopes) > maxScopesPerResourceServer {
		v.add(fmt.Sprintf("%d scopes", len(rs.Scopes)), "scopes", fmt.Sprintf("Member must have length less than or equal to %d", maxScopesPerResourceServer))
	}
	for i, sc := range rs.Scopes {
		v.pattern(sc.Name, fmt.Sprintf("scopes.%d.member.scopeName", i+1), scopeNameRe, 1, 256)
		v.pattern(sc.Description, fmt.Sprintf("scopes.%d.member.scopeDescription", i+1), nil, 1, 256)
	}
	if err := v.err(); err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, sc := range rs.Scopes {
		if seen[sc.Name] {
			// [guess] text.
			return errorf(KindInvalidParameter, "Duplicate scopes found: %s", sc.Name)
		}
		seen[sc.Name] = true
	}
	return nil
}

func rsToRecord(rs ResourceServer) store.ResourceServer {
	rec := store.ResourceServer{PoolID: rs.PoolID, Identifier: rs.Identifier, Name: rs.Name}
	for _, sc := range rs.Scopes {
		rec.Scopes = append(rec.Scopes, store.Scope{Name: sc.Name, Description: sc.Description})
	}
	return rec
}

func rsFromRecord(rec store.ResourceServer) ResourceServer {
	rs := ResourceServer{PoolID: rec.PoolID, Identifier: rec.Identifier, Name: rec.Name}
	for _, sc := range rec.Scopes {
		rs.Scopes = append(rs.Scopes, Scope{Name: sc.Name, Description: sc.Description})
	}
	return rs
}

func resourceServerNotFound(identifier, poolID string) error {
	// [guess] text, in the style of "User pool client X does not exist."
	return errorf(KindResourceNotFound, "Resource server %s does not exist in user pool %s.", identifier, poolID)
}

// CreateResourceServer creates a resource server and its scopes.
func (s *Service) CreateResourceServer(ctx context.Context, region string, rs ResourceServer) (ResourceServer, error) {
	if err := validateResourceServer(rs); err != nil {
		return ResourceServer{}, err
	}
	if _, err := s.getPool(ctx, region, rs.PoolID); err != nil {
		return ResourceServer{}, err
	}
	now := s.now().UTC()
	rec := rsToRecord(rs)
	rec.CreatedAt, rec.UpdatedAt = now, now
	err := s.store.InTx(ctx, func(tx store.Store) error {
		n, err := tx.CountResourceServers(ctx, rs.PoolID)
		if err != nil {
			return err
		}
		if n >= maxResourceServersPerPool {
			return errorf(KindLimitExceeded, "The maximum number of resource servers (%d) for the user pool has been reached.", maxResourceServersPerPool)
		}
		return tx.CreateResourceServer(ctx, rec)
	})
	if errors.Is(err, store.ErrConflict) {
		// [moto] text; real text unknown.
		return ResourceServer{}, errorf(KindInvalidParameter, "%s already exists in user pool %s.", rs.Identifier, rs.PoolID)
	}
	if err != nil {
		return ResourceServer{}, storeErr("create resource server", notFoundAs(err, poolNotFound(rs.PoolID)))
	}
	s.log.InfoContext(ctx, "resource server created", "pool_id", rs.PoolID, "identifier", rs.Identifier)
	return rsFromRecord(rec), nil
}

// DescribeResourceServer returns one resource server.
func (s *Service) DescribeResourceServer(ctx context.Context, region, poolID, identifier string) (ResourceServer, error) {
	if _, err := s.getPool(ctx, region, poolID); err != nil {
		return ResourceServer{}, err
	}
	var v validationErrors
	v.pattern(identifier, "identifier", identifierRe, 1, 256)
	if err := v.err(); err != nil {
		return ResourceServer{}, err
	}
	rec, err := s.store.GetResourceServer(ctx, poolID, identifier)
	if err != nil {
		return ResourceServer{}, storeErr("get resource server", notFoundAs(err, resourceServerNotFound(identifier, poolID)))
	}
	return rsFromRecord(rec), nil
}

// ListResourceServers lists a pool's resource servers, maxResults (1-50)
// at a time.
func (s *Service) ListResourceServers(ctx context.Context, region, poolID, nextToken string, maxResults int) ([]ResourceServer, string, error) {
	if _, err := s.getPool(ctx, region, poolID); err != nil {
		return nil, "", err
	}
	limit, err := pageLimit(maxResults, "maxResults", 1, 50, 50)
	if err != nil {
		return nil, "", err
	}
	after, err := decodeToken(nextToken)
	if err != nil {
		return nil, "", err
	}
	recs, err := s.store.ListResourceServers(ctx, poolID, store.Page{After: after, Limit: limit + 1})
	if err != nil {
		return nil, "", internal("list resource servers", err)
	}
	next := ""
	if len(recs) > limit {
		recs = recs[:limit]
		next = encodeToken(recs[limit-1].Identifier)
	}
	out := make([]ResourceServer, len(recs))
	for i, r := range recs {
		out[i] = rsFromRecord(r)
	}
	return out, next, nil
}

// UpdateResourceServer replaces a resource server's name and scopes. A
// scope removed here is silently dropped from tokens of clients that still
// list it [doc].
func (s *Service) UpdateResourceServer(ctx context.Context, region string, rs ResourceServer) (ResourceServer, error) {
	if err := validateResourceServer(rs); err != nil {
		return ResourceServer{}, err
	}
	if _, err := s.getPool(ctx, region, rs.PoolID); err != nil {
		return ResourceServer{}, err
	}
	var out store.ResourceServer
	err := s.store.UpdateResourceServer(ctx, rs.PoolID, rs.Identifier, func(old store.ResourceServer) (store.ResourceServer, error) {
		rec := rsToRecord(rs)
		rec.CreatedAt, rec.UpdatedAt = old.CreatedAt, s.now().UTC()
		out = rec
		return rec, nil
	})
	if err != nil {
		return ResourceServer{}, storeErr("update resource server", notFoundAs(err, resourceServerNotFound(rs.Identifier, rs.PoolID)))
	}
	return rsFromRecord(out), nil
}

// DeleteResourceServer deletes a resource server.
func (s *Service) DeleteResourceServer(ctx context.Context, region, poolID, identifier string) error {
	if _, err := s.getPool(ctx, region, poolID); err != nil {
		return err
	}
	if err := s.store.DeleteResourceServer(ctx, poolID, identifier); err != nil {
		return storeErr("delete resource server", notFoundAs(err, resourceServerNotFound(identifier, poolID)))
	}
	s.log.InfoContext(ctx, "resource server deleted", "pool_id", poolID, "identifier", identifier)
	return nil
}

// definedScopes returns the set of "{identifier}/{scope}" of a pool.
func definedScopes(ctx context.Context, st store.Store, poolID string) (map[string]bool, error) {
	recs, err := st.ListResourceServers(ctx, poolID, store.Page{})
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, r := range recs {
		for _, sc := range r.Scopes {
			out[r.Identifier+"/"+sc.Name] = true
		}
	}
	return out, nil
}
