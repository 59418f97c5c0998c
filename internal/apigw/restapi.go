package apigw

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/cognatehq/cognate/internal/gateway/apimodel"
	"github.com/cognatehq/cognate/internal/store"
)

// RestAPI is a REST API as described to callers.
type RestAPI struct {
	ID      string
	Region  string
	Name    string
	StackID string // the stack that owns it; "" when none
	// RootResourceID is the id of the "/" resource.
	RootResourceID string
	// Body is the OpenAPI document, as JSON; nil for an API built from
	// parts.
	Body             json.RawMessage
	BinaryMediaTypes []string
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

// RestAPIInput is what a caller sets on a REST API.
type RestAPIInput struct {
	// ID, for CreateRestAPI only, is the id to create the API with (from
	// NewAPIID); "" makes a new one.
	ID               string
	Name             string
	StackID          string
	Body             json.RawMessage // an OpenAPI document as JSON, or nil
	BinaryMediaTypes []string
}

// validate checks the input as CreateRestApi does.
func (in RestAPIInput) validate() error {
	if strings.TrimSpace(in.Name) == "" {
		// [guess] API Gateway: BadRequestException "Invalid REST API name specified".
		return errorf(KindBadRequest, "Invalid REST API name specified: the name must not be empty")
	}
	if in.ID != "" && !apiIDRe.MatchString(in.ID) {
		return errorf(KindBadRequest, "Invalid REST API identifier %q: want 10 characters of [a-z0-9]", in.ID)
	}
	if len(in.Body) > 0 {
		var doc map[string]json.RawMessage
		if err := json.Unmarshal(in.Body, &doc); err != nil {
			return errorf(KindBadRequest, "Invalid OpenAPI input: the body is not a JSON object: %v", err)
		}
	}
	return nil
}

// baseDefinition is the stored form of an API's definition: the
// apimodel.Definition without its parts, which are records of their own.
func baseDefinition(root string, in RestAPIInput) ([]byte, error) {
	return json.Marshal(apimodel.Definition{Body: in.Body, RootResourceID: root, BinaryMediaTypes: in.BinaryMediaTypes})
}

func apiFromRecord(rec store.RestAPI) (RestAPI, error) {
	var def apimodel.Definition
	if len(rec.Definition) > 0 {
		if err := json.Unmarshal(rec.Definition, &def); err != nil {
			return RestAPI{}, &Error{Kind: KindInternal, Msg: "decode definition of REST API " + rec.ID, Err: err}
		}
	}
	return RestAPI{ID: rec.ID, Region: rec.Region, Name: rec.Name, StackID: rec.StackID, RootResourceID: def.RootResourceID,
		Body: def.Body, BinaryMediaTypes: def.BinaryMediaTypes, CreatedAt: rec.CreatedAt, UpdatedAt: rec.UpdatedAt}, nil
}

// CreateRestAPI creates a REST API with in.ID or a new id, and a new root
// resource id. A taken in.ID is a conflict.
func (s *Service) CreateRestAPI(ctx context.Context, region string, in RestAPIInput) (RestAPI, error) {
	if err := in.validate(); err != nil {
		return RestAPI{}, err
	}
	now := s.timestamp()
	root := newAPIID()
	def, err := baseDefinition(root, in)
	if err != nil {
		return RestAPI{}, &Error{Kind: KindInternal, Msg: "encode definition", Err: err}
	}
	for attempt := 0; ; attempt++ {
		id := in.ID
		if id == "" {
			id = newAPIID()
		}
		rec := store.RestAPI{ID: id, Region: region, Name: in.Name, StackID: in.StackID, Definition: def,
			CreatedAt: now, UpdatedAt: now}
		err := s.store.CreateRestAPI(ctx, rec)
		if err == nil {
			return apiFromRecord(rec)
		}
		// A taken random id is retried; three in a row mean something
		// else is wrong.
		if !errors.Is(err, store.ErrConflict) || attempt == 2 || in.ID != "" {
			return RestAPI{}, storeErr("create REST API", err, nil, errorf(KindConflict, "REST API %s already exists", id))
		}
	}
}

// GetRestAPI returns a REST API.
func (s *Service) GetRestAPI(ctx context.Context, id string) (RestAPI, error) {
	rec, err := s.store.GetRestAPI(ctx, id)
	if err != nil {
		return RestAPI{}, storeErr("get REST API", err, apiNotFound(id), nil)
	}
	return apiFromRecord(rec)
}

// UpdateRestAPI replaces a REST API's name, body and binary media types;
// its id and root resource id stay. Stages keep serving the deployments
// they point to until a new deployment is made, as on AWS.
func (s *Service) UpdateRestAPI(ctx context.Context, id string, in RestAPIInput) (RestAPI, error) {
	if err := in.validate(); err != nil {
		return RestAPI{}, err
	}
	var out store.RestAPI
	err := s.store.UpdateRestAPI(ctx, id, func(rec store.RestAPI) (store.RestAPI, error) {
		old, err := apiFromRecord(rec)
		if err != nil {
			return rec, err
		}
		def, err := baseDefinition(old.RootResourceID, in)
		if err != nil {
			return rec, &Error{Kind: KindInternal, Msg: "encode definition", Err: err}
		}
		rec.Name, rec.StackID, rec.Definition, rec.UpdatedAt = in.Name, in.StackID, def, s.timestamp()
		out = rec
		return rec, nil
	})
	if err != nil {
		return RestAPI{}, storeErr("update REST API", err, apiNotFound(id), nil)
	}
	return apiFromRecord(out)
}

// DeleteRestAPI deletes a REST API with its parts, deployments and
// stages.
func (s *Service) DeleteRestAPI(ctx context.Context, id string) error {
	return storeErr("delete REST API", s.store.DeleteRestAPI(ctx, id), apiNotFound(id), nil)
}

// Definition returns the API's current definition, parts included: what
// a deployment made now would snapshot.
func (s *Service) Definition(ctx context.Context, apiID string) (apimodel.Definition, error) {
	return definitionIn(ctx, s.store, apiID)
}

// definitionIn reads the API's current definition through st (the
// service's store or a transaction's).
func definitionIn(ctx context.Context, st store.Store, apiID string) (apimodel.Definition, error) {
	rec, err := st.GetRestAPI(ctx, apiID)
	if err != nil {
		return apimodel.Definition{}, storeErr("get REST API", err, apiNotFound(apiID), nil)
	}
	var def apimodel.Definition
	if len(rec.Definition) > 0 {
		if err := json.Unmarshal(rec.Definition, &def); err != nil {
			return apimodel.Definition{}, &Error{Kind: KindInternal, Msg: "decode definition of REST API " + apiID, Err: err}
		}
	}
	parts, err := st.ListAPIParts(ctx, apiID)
	if err != nil {
		return apimodel.Definition{}, storeErr("list parts", err, nil, nil)
	}
	def.Parts = nil
	for _, p := range parts {
		def.Parts = append(def.Parts, apimodel.Part{Kind: p.Kind, ID: p.ID, Properties: json.RawMessage(p.Properties)})
	}
	return def, nil
}
