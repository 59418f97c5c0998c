package ssm

import (
	"context"
	"errors"

	"github.com/cognatehq/cognate/internal/store"
)

// GetParameter returns the newest version of a parameter, or the version
// that a "name:version" or "name:label" selector names. name may also be
// the parameter's ARN. A SecureString's value is its plaintext only when
// decrypt is true.
func (s *Service) GetParameter(ctx context.Context, region, name string, decrypt bool) (Parameter, error) {
	var v validationErrors
	v.length(name, "name", 1, 2048)
	if err := v.err(); err != nil {
		return Parameter{}, err
	}
	canon, sel, ok, err := s.parseGetName(region, name, true)
	if err != nil {
		return Parameter{}, err
	}
	if !ok {
		return Parameter{}, errNotFound()
	}
	rec, err := s.readVersion(ctx, region, canon, sel)
	if err != nil {
		return Parameter{}, err
	}
	return s.parameterOf(rec, decrypt, sel)
}

// readVersion reads the version a selector names: the newest, a version
// number or a label. A version number the parameter does not have (any
// more) is ParameterVersionNotFound; a label no version carries is
// ParameterNotFound [emulator: moto].
func (s *Service) readVersion(ctx context.Context, region, name string, sel selector) (store.Parameter, error) {
	var rec store.Parameter
	var err error
	switch {
	case sel.version > 0:
		rec, err = s.store.GetParameterVersion(ctx, region, name, sel.version)
		if errors.Is(err, store.ErrNotFound) {
			if _, gerr := s.store.GetParameter(ctx, region, name); gerr == nil {
				return rec, errVersionNotFound(sel.version, name)
			}
		}
	case sel.text != "":
		rec, err = s.store.GetParameterByLabel(ctx, region, name, sel.text)
	default:
		rec, err = s.store.GetParameter(ctx, region, name)
	}
	if errors.Is(err, store.ErrNotFound) {
		return rec, errNotFound()
	}
	if err != nil {
		return rec, internal("get parameter", err)
	}
	return rec, nil
}

// GetParameters returns the parameters of up to 10 names (each may carry a
// selector, or be an ARN), in the order asked, once each. Names that name
// no parameter or version, or that are malformed, are not an error: they
// come back in invalid, as given [doc; emulator].
func (s *Service) GetParameters(ctx context.Context, region string, names []string, decrypt bool) (params []Parameter, invalid []string, err error) {
	var v validationErrors
	v.listLength(names, "names", 1, 10)
	for i, n := range names {
		v.length(n, item("names", i), 1, 2048)
	}
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	params, invalid = []Parameter{}, []string{}
	seen := map[string]bool{}
	for _, n := range names {
		if seen[n] {
			continue
		}
		seen[n] = true
		p, err := s.GetParameter(ctx, region, n, decrypt)
		switch KindOf(err) {
		case KindValidation, KindParameterNotFound, KindParameterVersionNotFound:
			invalid = append(invalid, n)
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		params = append(params, p)
	}
	return params, invalid, nil
}

// GetParametersByPath returns one page (MaxResults 1-10, default 10) of the
// parameters directly under a hierarchy path, or anywhere below it when
// Recursive, ordered by name, with the filters of filters.go. The path "/"
// holds the parameters whose names have one level.
func (s *Service) GetParametersByPath(ctx context.Context, region string, q PathQuery) ([]Parameter, string, error) {
	var v validationErrors
	v.length(q.Path, "path", 1, 2048)
	if err := v.err(); err != nil {
		return nil, "", err
	}
	limit, err := pageSize(q.MaxResults, 1, 10, 10)
	if err != nil {
		return nil, "", err
	}
	prefix, err := pathPrefix(q.Path)
	if err != nil {
		return nil, "", err
	}
	filters, err := checkFilters(q.Filters, true)
	if err != nil {
		return nil, "", err
	}
	after, err := decodeToken(q.NextToken)
	if err != nil {
		return nil, "", err
	}
	recs, next, err := s.scan(ctx, region, store.ParameterSelection{Prefix: prefix, Children: !q.Recursive}, after, limit, filters)
	if err != nil {
		return nil, "", err
	}
	out := make([]Parameter, 0, len(recs))
	for _, rec := range recs {
		p, err := s.parameterOf(rec, q.Decrypt, selector{})
		if err != nil {
			return nil, "", err
		}
		out = append(out, p)
	}
	return out, next, nil
}

// scanBatch is how many parameters a filtered listing reads from the store
// at a time.
const scanBatch = 100

// scan reads the newest versions that sel selects, after the name after,
// until it has limit that pass the filters. next is the token of the
// following page, or "" when there is none.
func (s *Service) scan(ctx context.Context, region string, sel store.ParameterSelection, after string, limit int, filters []filter) (out []store.Parameter, next string, err error) {
	batch := scanBatch
	if len(filters) == 0 {
		batch = limit + 1
	}
	for {
		recs, err := s.store.ListParameters(ctx, region, sel, store.Page{After: after, Limit: batch})
		if err != nil {
			return nil, "", internal("list parameters", err)
		}
		for _, rec := range recs {
			if !matchAll(rec, filters) {
				continue
			}
			if len(out) == limit {
				return out, encodeToken(out[limit-1].Name), nil
			}
			out = append(out, rec)
		}
		if len(recs) < batch {
			return out, "", nil
		}
		after = recs[len(recs)-1].Name
	}
}
