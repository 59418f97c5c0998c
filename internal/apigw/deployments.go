package apigw

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/cognatehq/cognate/internal/gateway/apimodel"
	"github.com/cognatehq/cognate/internal/store"
)

// Deployment is a snapshot of an API's definition.
type Deployment struct {
	APIID       string
	ID          string
	Description string
	Definition  apimodel.Definition
	CreatedAt   time.Time
}

// DeploymentInput is what CreateDeployment takes.
type DeploymentInput struct {
	// ID is the id to create the deployment with (from NewDeploymentID);
	// "" makes a new one.
	ID          string
	Description string
	// StageName, when set, is a stage that is created to serve the new
	// deployment, or moved to it when it exists, as CreateDeployment's
	// stageName does.
	StageName string
}

func deploymentNotFound(id string) *Error {
	return errorf(KindNotFound, "Invalid Deployment identifier specified: %s", id) // [obs]
}

// CreateDeployment snapshots the API's current definition, parts
// included, as a new deployment, and points in.StageName at it when set,
// all in one transaction.
func (s *Service) CreateDeployment(ctx context.Context, apiID string, in DeploymentInput) (Deployment, error) {
	if in.StageName != "" && !stageNameRe.MatchString(in.StageName) {
		return Deployment{}, badStageName(in.StageName)
	}
	if in.ID == "" {
		in.ID = newShortID()
	} else if !shortIDRe.MatchString(in.ID) {
		return Deployment{}, errorf(KindBadRequest, "Invalid deployment identifier %q: want 6 characters of [a-z0-9]", in.ID)
	}
	var out Deployment
	err := s.store.InTx(ctx, func(st store.Store) error {
		def, err := definitionIn(ctx, st, apiID)
		if err != nil {
			return err
		}
		body, err := json.Marshal(def)
		if err != nil {
			return &Error{Kind: KindInternal, Msg: "encode definition", Err: err}
		}
		now := s.timestamp()
		rec := store.Deployment{APIID: apiID, ID: in.ID, Description: in.Description, Definition: body, CreatedAt: now}
		if err := st.CreateDeployment(ctx, rec); err != nil {
			return err
		}
		out = Deployment{APIID: apiID, ID: rec.ID, Description: rec.Description, Definition: def, CreatedAt: now}
		if in.StageName == "" {
			return nil
		}
		err = st.UpdateStage(ctx, apiID, in.StageName, func(stg store.Stage) (store.Stage, error) {
			stg.DeploymentID, stg.UpdatedAt = rec.ID, now
			return stg, nil
		})
		if errors.Is(err, store.ErrNotFound) {
			err = st.CreateStage(ctx, store.Stage{APIID: apiID, Name: in.StageName, DeploymentID: rec.ID, CreatedAt: now, UpdatedAt: now})
		}
		return err
	})
	if err != nil {
		return Deployment{}, storeErr("create deployment", err, apiNotFound(apiID), errorf(KindConflict, "Deployment %s already exists", in.ID))
	}
	return out, nil
}

// GetDeployment returns a deployment with its definition.
func (s *Service) GetDeployment(ctx context.Context, apiID, id string) (Deployment, error) {
	rec, err := s.store.GetDeployment(ctx, apiID, id)
	if err != nil {
		return Deployment{}, storeErr("get deployment", err, deploymentNotFound(id), nil)
	}
	d := Deployment{APIID: rec.APIID, ID: rec.ID, Description: rec.Description, CreatedAt: rec.CreatedAt}
	if err := decodeDefinition(rec.Definition, &d.Definition); err != nil {
		return Deployment{}, err
	}
	return d, nil
}

// DeleteDeployment deletes a deployment. As on AWS, one that a stage
// serves cannot be deleted.
func (s *Service) DeleteDeployment(ctx context.Context, apiID, id string) error {
	err := s.store.DeleteDeployment(ctx, apiID, id)
	if errors.Is(err, store.ErrConflict) {
		// [obs] BadRequestException.
		return &Error{Kind: KindBadRequest, Msg: "Active stages pointing to this deployment must be moved or deleted", Err: err}
	}
	return storeErr("delete deployment", err, deploymentNotFound(id), nil)
}

func decodeDefinition(b []byte, def *apimodel.Definition) error {
	if len(b) == 0 {
		return nil
	}
	if err := json.Unmarshal(b, def); err != nil {
		return &Error{Kind: KindInternal, Msg: "decode deployment definition", Err: err}
	}
	return nil
}
