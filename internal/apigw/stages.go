package apigw

import (
	"context"
	"encoding/json"
	"sort"
	"strings"
	"time"

	"github.com/cognatehq/cognate/internal/gateway/apimodel"
	"github.com/cognatehq/cognate/internal/store"
)

// Stage is a named stage of an API, serving one of its deployments.
type Stage struct {
	APIID        string
	Name         string
	DeploymentID string
	Variables    map[string]string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// StageInput is what a caller sets on a stage.
type StageInput struct {
	DeploymentID string
	Variables    map[string]string
}

// DeployedStage is a stage with what the gateway needs to serve it.
type DeployedStage struct {
	Region       string
	APIID        string
	APIName      string
	StageName    string
	DeploymentID string
	Variables    map[string]string
	Definition   apimodel.Definition // the deployment's
}

func badStageName(name string) *Error {
	return errorf(KindBadRequest, "Stage name only allows a-zA-Z0-9_- and must be 1 to 128 characters long: %q", name) // [guess]
}

func stageNotFound(name string) *Error {
	return errorf(KindNotFound, "Invalid Stage identifier specified: %s", name) // [obs]
}

// validateStage checks a stage's name and variables.
func validateStage(name string, in StageInput) error {
	if !stageNameRe.MatchString(name) {
		return badStageName(name)
	}
	if in.DeploymentID == "" {
		return errorf(KindBadRequest, "Invalid deployment identifier specified: a stage needs a DeploymentId")
	}
	keys := make([]string, 0, len(in.Variables))
	for k := range in.Variables {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var bad []string
	for _, k := range keys {
		if !stageVarNameRe.MatchString(k) {
			bad = append(bad, "name "+k+" must match [A-Za-z0-9_]+")
		} else if !stageVarValueRe.MatchString(in.Variables[k]) {
			bad = append(bad, "value of "+k+" must match [A-Za-z0-9-._~:/?#&=,]+")
		}
	}
	if len(bad) > 0 {
		return errorf(KindBadRequest, "Invalid stage variables: %s", strings.Join(bad, "; "))
	}
	return nil
}

func encodeVariables(vars map[string]string) ([]byte, error) {
	if len(vars) == 0 {
		return nil, nil
	}
	b, err := json.Marshal(vars)
	if err != nil {
		return nil, &Error{Kind: KindInternal, Msg: "encode stage variables", Err: err}
	}
	return b, nil
}

func decodeVariables(b []byte) (map[string]string, error) {
	if len(b) == 0 {
		return nil, nil
	}
	var vars map[string]string
	if err := json.Unmarshal(b, &vars); err != nil {
		return nil, &Error{Kind: KindInternal, Msg: "decode stage variables", Err: err}
	}
	return vars, nil
}

func stageFromRecord(rec store.Stage) (Stage, error) {
	vars, err := decodeVariables(rec.Variables)
	if err != nil {
		return Stage{}, err
	}
	return Stage{APIID: rec.APIID, Name: rec.Name, DeploymentID: rec.DeploymentID, Variables: vars,
		CreatedAt: rec.CreatedAt, UpdatedAt: rec.UpdatedAt}, nil
}

// CreateStage creates a stage serving one of the API's deployments.
func (s *Service) CreateStage(ctx context.Context, apiID, name string, in StageInput) (Stage, error) {
	if err := validateStage(name, in); err != nil {
		return Stage{}, err
	}
	vars, err := encodeVariables(in.Variables)
	if err != nil {
		return Stage{}, err
	}
	now := s.timestamp()
	rec := store.Stage{APIID: apiID, Name: name, DeploymentID: in.DeploymentID, Variables: vars, CreatedAt: now, UpdatedAt: now}
	err = s.store.InTx(ctx, func(st store.Store) error {
		if _, err := st.GetRestAPI(ctx, apiID); err != nil {
			return storeErr("get REST API", err, apiNotFound(apiID), nil)
		}
		return st.CreateStage(ctx, rec)
	})
	if err != nil {
		// [obs] ConflictException "Stage already exists".
		return Stage{}, storeErr("create stage", err, deploymentNotFound(in.DeploymentID), errorf(KindConflict, "Stage already exists"))
	}
	return stageFromRecord(rec)
}

// GetStage returns a stage.
func (s *Service) GetStage(ctx context.Context, apiID, name string) (Stage, error) {
	rec, err := s.store.GetStage(ctx, apiID, name)
	if err != nil {
		return Stage{}, storeErr("get stage", err, stageNotFound(name), nil)
	}
	return stageFromRecord(rec)
}

// UpdateStage points a stage at another deployment and replaces its
// variables.
func (s *Service) UpdateStage(ctx context.Context, apiID, name string, in StageInput) (Stage, error) {
	if err := validateStage(name, in); err != nil {
		return Stage{}, err
	}
	vars, err := encodeVariables(in.Variables)
	if err != nil {
		return Stage{}, err
	}
	var out store.Stage
	err = s.store.InTx(ctx, func(st store.Store) error {
		if _, err := st.GetStage(ctx, apiID, name); err != nil {
			return storeErr("get stage", err, stageNotFound(name), nil)
		}
		return st.UpdateStage(ctx, apiID, name, func(rec store.Stage) (store.Stage, error) {
			rec.DeploymentID, rec.Variables, rec.UpdatedAt = in.DeploymentID, vars, s.timestamp()
			out = rec
			return rec, nil
		})
	})
	if err != nil {
		return Stage{}, storeErr("update stage", err, deploymentNotFound(in.DeploymentID), nil)
	}
	return stageFromRecord(out)
}

// DeleteStage deletes a stage.
func (s *Service) DeleteStage(ctx context.Context, apiID, name string) error {
	return storeErr("delete stage", s.store.DeleteStage(ctx, apiID, name), stageNotFound(name), nil)
}

// Stages returns every stage of every API with its deployment's
// definition: the gateway's route source.
func (s *Service) Stages(ctx context.Context) ([]DeployedStage, error) {
	recs, err := s.store.ListDeployedStages(ctx)
	if err != nil {
		return nil, storeErr("list deployed stages", err, nil, nil)
	}
	out := make([]DeployedStage, 0, len(recs))
	for _, r := range recs {
		d := DeployedStage{Region: r.Region, APIID: r.APIID, APIName: r.APIName, StageName: r.StageName, DeploymentID: r.DeploymentID}
		if d.Variables, err = decodeVariables(r.Variables); err != nil {
			return nil, err
		}
		if err := decodeDefinition(r.Definition, &d.Definition); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}
