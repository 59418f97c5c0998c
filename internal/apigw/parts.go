package apigw

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/cognatehq/cognate/internal/gateway/apimodel"
	"github.com/cognatehq/cognate/internal/store"
)

// partKinds are the kinds of part an API may have.
var partKinds = map[string]bool{
	apimodel.KindResource: true, apimodel.KindMethod: true, apimodel.KindAuthorizer: true,
	apimodel.KindGatewayResponse: true, apimodel.KindRequestValidator: true, apimodel.KindModel: true,
}

// partRefs are the properties of a part that the domain checks: a
// resource's parent and path part, a method's resource and verb.
type partRefs struct {
	ParentID   string `json:"ParentId"`
	PathPart   string `json:"PathPart"`
	ResourceID string `json:"ResourceId"`
	HTTPMethod string `json:"HttpMethod"`
}

// AddPart adds a part (an AWS::ApiGateway::* resource with its evaluated
// properties) to an API and returns it with its id. When p.ID is "" a new
// 6-character id is made; a model is named by its Name and a method by
// the id CloudFormation gives it, so their callers pass the id.
//
// As on AWS, a resource's ParentId and a method's ResourceId must name
// the root or a resource of the API; two resources with one parent may
// not share a path part, and a resource has at most one method per verb.
func (s *Service) AddPart(ctx context.Context, apiID string, p apimodel.Part) (apimodel.Part, error) {
	if !partKinds[p.Kind] {
		return apimodel.Part{}, errorf(KindBadRequest, "unknown part kind %q", p.Kind)
	}
	if p.ID == "" {
		p.ID = newShortID()
	}
	err := s.store.InTx(ctx, func(st store.Store) error {
		if err := checkPart(ctx, st, apiID, p, true); err != nil {
			return err
		}
		return st.PutAPIPart(ctx, store.APIPart{APIID: apiID, Kind: p.Kind, ID: p.ID, Properties: p.Properties, UpdatedAt: s.timestamp()})
	})
	if err != nil {
		return apimodel.Part{}, storeErr("add part", err, apiNotFound(apiID), nil)
	}
	return p, nil
}

// UpdatePart replaces the properties of an existing part, after the same
// checks as AddPart.
func (s *Service) UpdatePart(ctx context.Context, apiID string, p apimodel.Part) error {
	err := s.store.InTx(ctx, func(st store.Store) error {
		if err := checkPart(ctx, st, apiID, p, false); err != nil {
			return err
		}
		return st.PutAPIPart(ctx, store.APIPart{APIID: apiID, Kind: p.Kind, ID: p.ID, Properties: p.Properties, UpdatedAt: s.timestamp()})
	})
	return storeErr("update part", err, apiNotFound(apiID), nil)
}

// RemovePart removes a part from an API.
func (s *Service) RemovePart(ctx context.Context, apiID, kind, id string) error {
	err := s.store.DeleteAPIPart(ctx, apiID, kind, id)
	return storeErr("remove part", err, errorf(KindNotFound, "Invalid %s identifier specified", partNoun(kind)), nil)
}

// checkPart checks p against the API's other parts, read through st.
// When adding, p's kind and id must be new; otherwise they must name the
// part p replaces.
func checkPart(ctx context.Context, st store.Store, apiID string, p apimodel.Part, adding bool) error {
	var refs partRefs
	if len(p.Properties) > 0 {
		if err := json.Unmarshal(p.Properties, &refs); err != nil {
			return errorf(KindBadRequest, "the properties of %s %s are not a JSON object: %v", p.Kind, p.ID, err)
		}
	}
	def, err := definitionIn(ctx, st, apiID)
	if err != nil {
		return err
	}
	resources := map[string]bool{def.RootResourceID: true}
	for _, q := range def.Parts {
		if q.Kind == apimodel.KindResource {
			resources[q.ID] = true
		}
	}
	found := false
	for _, q := range def.Parts {
		if q.Kind != p.Kind {
			continue
		}
		if q.ID == p.ID {
			found = true
			if !adding {
				continue
			}
			if p.Kind == apimodel.KindModel {
				return errorf(KindConflict, "Another Model with the same name already exists: %s", p.ID) // [obs]
			}
			return errorf(KindConflict, "%s %s already exists", partNoun(p.Kind), p.ID)
		}
		var other partRefs
		_ = json.Unmarshal(q.Properties, &other)
		switch p.Kind {
		case apimodel.KindResource:
			if other.ParentID == refs.ParentID && other.PathPart == refs.PathPart {
				return errorf(KindConflict, "Another resource with the same parent already has this name: %s", refs.PathPart) // [obs]
			}
		case apimodel.KindMethod:
			if other.ResourceID == refs.ResourceID && strings.EqualFold(other.HTTPMethod, refs.HTTPMethod) {
				return errorf(KindConflict, "Method already exists for this resource") // [obs]
			}
		}
	}
	if !adding && !found {
		return errorf(KindNotFound, "Invalid %s identifier specified: %s", partNoun(p.Kind), p.ID)
	}
	switch p.Kind {
	case apimodel.KindResource:
		if !resources[refs.ParentID] {
			return errorf(KindNotFound, "Invalid Resource identifier specified: ParentId %s is not a resource of API %s", refs.ParentID, apiID)
		}
	case apimodel.KindMethod:
		if !resources[refs.ResourceID] {
			return errorf(KindNotFound, "Invalid Resource identifier specified: ResourceId %s is not a resource of API %s", refs.ResourceID, apiID)
		}
	}
	return nil
}

// partNoun names a part kind as API Gateway's messages do ("Resource",
// "Authorizer").
func partNoun(kind string) string { return strings.TrimPrefix(kind, "AWS::ApiGateway::") }
