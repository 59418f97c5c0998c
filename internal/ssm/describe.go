package ssm

import (
	"context"
	"strings"

	"github.com/cognatehq/cognate/internal/store"
)

// DescribeParameters returns one page (MaxResults 1-50, default 10
// [emulator: moto's page size]) of the metadata of the region's
// parameters, ordered by name, that pass the filters: either the
// deprecated Filters or ParameterFilters (filters.go), not both. Values are
// never returned. Shared parameters (Shared: true) are those other accounts
// share through AWS RAM; Cognate has one account, so there are none.
//
// A Name filter with Equals or BeginsWith, or a Path filter, narrows what
// is read from the store; the other filters are checked on each parameter.
func (s *Service) DescribeParameters(ctx context.Context, region string, q DescribeQuery) ([]Metadata, string, error) {
	limit, err := pageSize(q.MaxResults, 1, 50, 10)
	if err != nil {
		return nil, "", err
	}
	if len(q.Filters) > 0 && len(q.ParameterFilters) > 0 {
		// [emulator: moto] text.
		return nil, "", errorf(KindValidation, "You can use either Filters or ParameterFilters in a single request.")
	}
	in := q.ParameterFilters
	if len(q.Filters) > 0 {
		if in, err = legacyFilters(q.Filters); err != nil {
			return nil, "", err
		}
	}
	filters, err := checkFilters(in, false)
	if err != nil {
		return nil, "", err
	}
	after, err := decodeToken(q.NextToken)
	if err != nil {
		return nil, "", err
	}
	if q.Shared {
		return []Metadata{}, "", nil
	}
	recs, next, err := s.scan(ctx, region, narrow(filters), after, limit, filters)
	if err != nil {
		return nil, "", err
	}
	out := make([]Metadata, len(recs))
	for i, rec := range recs {
		out[i] = s.metadataOf(rec)
	}
	return out, next, nil
}

// narrow returns the store selection that holds every parameter the
// filters can pass: under the one path of a Path filter, or the common
// prefix of a Name filter's values; else the whole region.
func narrow(filters []filter) store.ParameterSelection {
	for _, f := range filters {
		switch {
		case f.key == "Path" && len(f.values) == 1:
			prefix, err := pathPrefix(f.values[0])
			if err == nil {
				return store.ParameterSelection{Prefix: prefix, Children: f.option == "OneLevel"}
			}
		case f.key == "Name" && f.option != "Contains":
			prefix := commonPrefix(f.values)
			// Names match in fully qualified form: a value "/x" also
			// matches the one-level name "x", which does not begin with
			// "/". Narrow only on what both forms share.
			if strings.HasPrefix(prefix, "/") && strings.Count(prefix, "/") > 1 {
				return store.ParameterSelection{Prefix: prefix}
			}
		}
	}
	return store.ParameterSelection{}
}

// commonPrefix returns the longest prefix of every value.
func commonPrefix(values []string) string {
	if len(values) == 0 {
		return ""
	}
	p := values[0]
	for _, v := range values[1:] {
		for !strings.HasPrefix(v, p) {
			p = p[:len(p)-1]
		}
	}
	return p
}
