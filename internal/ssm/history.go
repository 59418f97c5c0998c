package ssm

import (
	"context"
	"errors"
	"strconv"

	"github.com/cognatehq/cognate/internal/store"
)

// GetParameterHistory returns one page (MaxResults 1-50, default 50) of a
// parameter's kept versions, oldest first, each with its value (a
// SecureString's plaintext only when decrypting) and labels. name may be
// the parameter's ARN; it takes no selector.
func (s *Service) GetParameterHistory(ctx context.Context, region string, q HistoryQuery) ([]HistoryEntry, string, error) {
	var v validationErrors
	v.length(q.Name, "name", 1, 2048)
	if err := v.err(); err != nil {
		return nil, "", err
	}
	limit, err := pageSize(q.MaxResults, 1, 50, 50)
	if err != nil {
		return nil, "", err
	}
	name, _, ok, err := s.parseGetName(region, q.Name, false)
	if err != nil {
		return nil, "", err
	}
	if !ok {
		return nil, "", errNotFound()
	}
	tok, err := decodeToken(q.NextToken)
	if err != nil {
		return nil, "", err
	}
	var after int64
	if tok != "" {
		if after, err = strconv.ParseInt(tok, 10, 64); err != nil || after < 1 {
			return nil, "", errorf(KindInvalidNextToken, "The specified token isn't valid.")
		}
	}
	recs, err := s.store.ListParameterVersions(ctx, region, name, after, limit+1)
	if errors.Is(err, store.ErrNotFound) {
		return nil, "", errNotFound()
	}
	if err != nil {
		return nil, "", internal("list parameter versions", err)
	}
	next := ""
	if len(recs) > limit {
		recs = recs[:limit]
		next = encodeToken(strconv.FormatInt(recs[limit-1].Version, 10))
	}
	out := make([]HistoryEntry, len(recs))
	for i, rec := range recs {
		value, err := s.valueOf(rec, q.Decrypt)
		if err != nil {
			return nil, "", err
		}
		labels := rec.Labels
		if labels == nil {
			labels = []string{}
		}
		out[i] = HistoryEntry{Metadata: s.metadataOf(rec), Value: value, Labels: labels}
	}
	return out, next, nil
}
