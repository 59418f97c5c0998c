package ssm

import (
	"context"
	"errors"
	"slices"

	"github.com/cognatehq/cognate/internal/store"
)

// LabelParameterVersion attaches labels to a version of a parameter (the
// newest when version is nil), moving any of them from the version that
// carries it. Labels that break the label rules (validLabel) are not
// attached; they come back in InvalidLabels [doc]. A version carries at
// most 10 labels: a request that would give it more fails and attaches
// none. name takes no selector and no ARN [doc].
func (s *Service) LabelParameterVersion(ctx context.Context, region, name string, version *int64, labels []string) (LabelResult, error) {
	if err := checkLabelRequest(name, labels); err != nil {
		return LabelResult{}, err
	}
	canon, err := s.labelTarget(region, name)
	if err != nil {
		return LabelResult{}, err
	}
	res := LabelResult{InvalidLabels: []string{}}
	var valid []string
	for _, l := range labels {
		switch {
		case !validLabel(l):
			res.InvalidLabels = append(res.InvalidLabels, l)
		case !slices.Contains(valid, l):
			valid = append(valid, l)
		}
	}
	err = s.store.InTx(ctx, func(tx store.Store) error {
		var rec store.Parameter
		var err error
		if version == nil {
			rec, err = tx.GetParameter(ctx, region, canon)
		} else {
			rec, err = tx.GetParameterVersion(ctx, region, canon, *version)
		}
		if err != nil {
			return err
		}
		res.Version = rec.Version
		n := len(rec.Labels)
		for _, l := range valid {
			if !slices.Contains(rec.Labels, l) {
				n++
			}
		}
		if n > MaxLabelsPerVersion {
			// [guess] text, after the exception's documentation.
			return errorf(KindParameterVersionLabelLimitExceeded,
				"A parameter version can have a maximum of %d labels. Move one or more labels to another version and try again.",
				MaxLabelsPerVersion)
		}
		if len(valid) == 0 {
			return nil
		}
		return tx.LabelParameterVersion(ctx, region, canon, rec.Version, valid)
	})
	if err != nil {
		return LabelResult{}, s.labelErr(ctx, region, canon, version, err)
	}
	s.log.InfoContext(ctx, "parameter version labelled", "region", region, "parameter", canon, "version", res.Version,
		"labels", len(valid))
	return res, nil
}

// UnlabelParameterVersion detaches labels from a version of a parameter.
// Labels the version does not carry come back in InvalidLabels [doc].
func (s *Service) UnlabelParameterVersion(ctx context.Context, region, name string, version int64, labels []string) (UnlabelResult, error) {
	if err := checkLabelRequest(name, labels); err != nil {
		return UnlabelResult{}, err
	}
	canon, err := s.labelTarget(region, name)
	if err != nil {
		return UnlabelResult{}, err
	}
	removed, err := s.store.UnlabelParameterVersion(ctx, region, canon, version, labels)
	if err != nil {
		return UnlabelResult{}, s.labelErr(ctx, region, canon, &version, err)
	}
	res := UnlabelResult{RemovedLabels: []string{}, InvalidLabels: []string{}}
	for _, l := range labels {
		if slices.Contains(removed, l) {
			if !slices.Contains(res.RemovedLabels, l) {
				res.RemovedLabels = append(res.RemovedLabels, l)
			}
		} else if !slices.Contains(res.InvalidLabels, l) {
			res.InvalidLabels = append(res.InvalidLabels, l)
		}
	}
	return res, nil
}

// checkLabelRequest checks the model's constraints of a label request.
func checkLabelRequest(name string, labels []string) error {
	var v validationErrors
	v.length(name, "name", 1, 2048)
	v.listLength(labels, "labels", 1, 10)
	for i, l := range labels {
		v.length(l, item("labels", i), 1, 100)
	}
	return v.err()
}

// labelTarget validates the name of a label request and returns it
// canonical.
func (s *Service) labelTarget(region, name string) (string, error) {
	canon, _, _, err := s.parseGetName(region, name, false)
	if err != nil {
		return "", err
	}
	if canon != trimName(name) && "/"+canon != trimName(name) {
		// An ARN: "You can't enter the Amazon Resource Name (ARN) for a
		// parameter, only the parameter name itself" [doc]. [guess] the
		// answer.
		return "", errorf(KindValidation, msgNameInvalid)
	}
	return canon, nil
}

// labelErr turns a store failure of a label request into the domain
// error: a missing version is ParameterVersionNotFound when the parameter
// exists, ParameterNotFound when it does not.
func (s *Service) labelErr(ctx context.Context, region, name string, version *int64, err error) error {
	if !errors.Is(err, store.ErrNotFound) {
		return storeErr("label parameter version", err)
	}
	if version != nil {
		if _, gerr := s.store.GetParameter(ctx, region, name); gerr == nil {
			return errVersionNotFound(*version, name)
		}
	}
	return errNotFound()
}
