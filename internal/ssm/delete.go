package ssm

import (
	"context"
	"errors"

	"github.com/cognatehq/cognate/internal/store"
)

// DeleteParameter deletes a parameter with all its versions and labels. A
// missing parameter is ParameterNotFound.
func (s *Service) DeleteParameter(ctx context.Context, region, name string) error {
	var v validationErrors
	v.length(name, "name", 1, 2048)
	if err := v.err(); err != nil {
		return err
	}
	canon, _, ok, err := s.parseGetName(region, name, false)
	if err != nil {
		return err
	}
	if !ok {
		return errNotFound()
	}
	err = s.store.DeleteParameter(ctx, region, canon)
	if errors.Is(err, store.ErrNotFound) {
		return errNotFound()
	}
	if err != nil {
		return internal("delete parameter", err)
	}
	s.log.InfoContext(ctx, "parameter deleted", "region", region, "parameter", canon)
	return nil
}

// DeleteParameters deletes up to 10 parameters, each on its own. Names
// that name no parameter, or are malformed, come back in invalid, as given;
// the others in deleted [doc; emulator].
func (s *Service) DeleteParameters(ctx context.Context, region string, names []string) (deleted, invalid []string, err error) {
	var v validationErrors
	v.listLength(names, "names", 1, 10)
	for i, n := range names {
		v.length(n, item("names", i), 1, 2048)
	}
	if err := v.err(); err != nil {
		return nil, nil, err
	}
	deleted, invalid = []string{}, []string{}
	seen := map[string]bool{}
	for _, n := range names {
		if seen[n] {
			continue
		}
		seen[n] = true
		err := s.DeleteParameter(ctx, region, n)
		switch KindOf(err) {
		case KindValidation, KindParameterNotFound:
			invalid = append(invalid, n)
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		deleted = append(deleted, n)
	}
	return deleted, invalid, nil
}
