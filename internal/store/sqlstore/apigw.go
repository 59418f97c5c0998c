package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/cognatehq/cognate/internal/store"
)

// gatewayWrite runs fn in a write transaction (a savepoint on a bound
// Store) and then adds one to the gateway generation in the same
// transaction, so that no node sees the change without seeing the
// generation move.
func (s *Store) gatewayWrite(ctx context.Context, op string, fn func(tx *sql.Tx) error) error {
	return s.writeAtomic(ctx, op, func(tx *sql.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.apigw().bumpGeneration); err != nil {
			return fmt.Errorf("sqlstore: %s: bump gateway generation: %w", op, err)
		}
		return nil
	})
}

// GatewayGeneration returns the gateway generation.
func (s *Store) GatewayGeneration(ctx context.Context) (int64, error) {
	var g int64
	if err := s.queryRow(ctx, s.apigw().getGeneration).Scan(&g); err != nil {
		return 0, fmt.Errorf("sqlstore: read gateway generation: %w", err)
	}
	return g, nil
}

// BumpGatewayGeneration adds one to the gateway generation.
func (s *Store) BumpGatewayGeneration(ctx context.Context) error {
	return s.gatewayWrite(ctx, "bump gateway generation", func(*sql.Tx) error { return nil })
}

// CreateRestAPI inserts a. A taken ID is an ErrConflict.
func (s *Store) CreateRestAPI(ctx context.Context, a store.RestAPI) error {
	op := fmt.Sprintf("create REST API %q", a.ID)
	if a.ID == "" {
		return errEmptyKey(op, "ID")
	}
	return s.gatewayWrite(ctx, op, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.apigw().insertAPI, s.apiArgs(a)...)
		return s.mapErr(err, op, "a REST API with this id exists", "")
	})
}

// GetRestAPI returns the API with id, or an ErrNotFound.
func (s *Store) GetRestAPI(ctx context.Context, id string) (store.RestAPI, error) {
	a, err := scanAPI(s.queryRow(ctx, s.apigw().getAPI, id))
	if errors.Is(err, sql.ErrNoRows) {
		return store.RestAPI{}, notFound(fmt.Sprintf("REST API %q", id))
	}
	if err != nil {
		return store.RestAPI{}, fmt.Errorf("sqlstore: get REST API %q: %w", id, err)
	}
	return a, nil
}

// ListRestAPIs returns the APIs of region, or of every region when region
// is "", ordered by region and ID.
func (s *Store) ListRestAPIs(ctx context.Context, region string) ([]store.RestAPI, error) {
	var (
		rows *sql.Rows
		err  error
	)
	if region == "" {
		rows, err = s.query(ctx, s.apigw().listAllAPIs)
	} else {
		rows, err = s.query(ctx, s.apigw().listAPIs, region)
	}
	if err == nil {
		var out []store.RestAPI
		if out, err = collect(rows, scanAPI); err == nil {
			return out, nil
		}
	}
	return nil, fmt.Errorf("sqlstore: list REST APIs of %q: %w", region, err)
}

// UpdateRestAPI runs fn on one API, with it locked, and writes back what
// fn returns. fn must not change ID. fn's error is returned unchanged.
func (s *Store) UpdateRestAPI(ctx context.Context, id string, fn func(store.RestAPI) (store.RestAPI, error)) error {
	op := fmt.Sprintf("update REST API %q", id)
	return s.gatewayWrite(ctx, op, func(tx *sql.Tx) error {
		old, err := scanAPI(tx.QueryRowContext(ctx, s.apigw().getAPIForUpdate, id))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound(fmt.Sprintf("REST API %q", id))
		}
		if err != nil {
			return fmt.Errorf("sqlstore: %s: read: %w", op, err)
		}
		a, err := fn(old)
		if err != nil {
			return err
		}
		if err := keyChanged(op, "ID", old.ID, a.ID); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, s.apigw().updateAPI, s.apiArgs(a)...)
		return s.mapErr(err, op, "conflicting REST API", "")
	})
}

// DeleteRestAPI deletes an API with its parts, deployments and stages; a
// missing one is an ErrNotFound.
func (s *Store) DeleteRestAPI(ctx context.Context, id string) error {
	op := fmt.Sprintf("delete REST API %q", id)
	return s.gatewayWrite(ctx, op, func(tx *sql.Tx) error {
		return s.deleteOne(ctx, tx, op, fmt.Sprintf("REST API %q", id), s.apigw().deleteAPI, id)
	})
}

// PutAPIPart inserts or replaces one part of an API.
func (s *Store) PutAPIPart(ctx context.Context, p store.APIPart) error {
	op := fmt.Sprintf("put %s %q of REST API %q", p.Kind, p.ID, p.APIID)
	if p.Kind == "" || p.ID == "" {
		return errEmptyKey(op, "Kind or ID")
	}
	return s.gatewayWrite(ctx, op, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.apigw().upsertPart, p.APIID, p.Kind, p.ID, blobArg(p.Properties), s.d.timeArg(p.UpdatedAt))
		return s.mapErr(err, op, "conflicting part", fmt.Sprintf("REST API %q does not exist", p.APIID))
	})
}

// ListAPIParts returns an API's parts ordered by kind and id.
func (s *Store) ListAPIParts(ctx context.Context, apiID string) ([]store.APIPart, error) {
	rows, err := s.query(ctx, s.apigw().listParts, apiID)
	if err == nil {
		var out []store.APIPart
		if out, err = collect(rows, scanPart); err == nil {
			return out, nil
		}
	}
	return nil, fmt.Errorf("sqlstore: list parts of REST API %q: %w", apiID, err)
}

// DeleteAPIPart deletes one part of an API; a missing one is an
// ErrNotFound.
func (s *Store) DeleteAPIPart(ctx context.Context, apiID, kind, id string) error {
	what := fmt.Sprintf("%s %q of REST API %q", kind, id, apiID)
	return s.gatewayWrite(ctx, "delete "+what, func(tx *sql.Tx) error {
		return s.deleteOne(ctx, tx, "delete "+what, what, s.apigw().deletePart, apiID, kind, id)
	})
}

// CreateDeployment inserts d.
func (s *Store) CreateDeployment(ctx context.Context, d store.Deployment) error {
	op := fmt.Sprintf("create deployment %q of REST API %q", d.ID, d.APIID)
	if d.ID == "" {
		return errEmptyKey(op, "ID")
	}
	return s.gatewayWrite(ctx, op, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.apigw().insertDeployment, d.APIID, d.ID, d.Description, blobArg(d.Definition),
			s.d.timeArg(d.CreatedAt))
		return s.mapErr(err, op, "a deployment with this id exists", fmt.Sprintf("REST API %q does not exist", d.APIID))
	})
}

// GetDeployment returns one deployment of an API, or an ErrNotFound.
func (s *Store) GetDeployment(ctx context.Context, apiID, id string) (store.Deployment, error) {
	d, err := scanDeployment(s.queryRow(ctx, s.apigw().getDeployment, apiID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return store.Deployment{}, notFound(fmt.Sprintf("deployment %q of REST API %q", id, apiID))
	}
	if err != nil {
		return store.Deployment{}, fmt.Errorf("sqlstore: get deployment %q of REST API %q: %w", id, apiID, err)
	}
	return d, nil
}

// DeleteDeployment deletes a deployment that no stage points to.
func (s *Store) DeleteDeployment(ctx context.Context, apiID, id string) error {
	what := fmt.Sprintf("deployment %q of REST API %q", id, apiID)
	op := "delete " + what
	return s.gatewayWrite(ctx, op, func(tx *sql.Tx) error {
		var stage string
		err := tx.QueryRowContext(ctx, s.apigw().deploymentInUse, apiID, id).Scan(&stage)
		if err == nil {
			return fmt.Errorf("sqlstore: %s: stage %q points to it: %w", op, stage, store.ErrConflict)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("sqlstore: %s: read stages: %w", op, err)
		}
		return s.deleteOne(ctx, tx, op, what, s.apigw().deleteDeployment, apiID, id)
	})
}

// CreateStage inserts st.
func (s *Store) CreateStage(ctx context.Context, st store.Stage) error {
	op := fmt.Sprintf("create stage %q of REST API %q", st.Name, st.APIID)
	if st.Name == "" {
		return errEmptyKey(op, "Name")
	}
	return s.gatewayWrite(ctx, op, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.apigw().insertStage, s.stageArgs(st)...)
		return s.mapErr(err, op, "a stage with this name exists",
			fmt.Sprintf("REST API %q or its deployment %q does not exist", st.APIID, st.DeploymentID))
	})
}

// GetStage returns one stage of an API, or an ErrNotFound.
func (s *Store) GetStage(ctx context.Context, apiID, name string) (store.Stage, error) {
	st, err := scanStage(s.queryRow(ctx, s.apigw().getStage, apiID, name))
	if errors.Is(err, sql.ErrNoRows) {
		return store.Stage{}, notFound(fmt.Sprintf("stage %q of REST API %q", name, apiID))
	}
	if err != nil {
		return store.Stage{}, fmt.Errorf("sqlstore: get stage %q of REST API %q: %w", name, apiID, err)
	}
	return st, nil
}

// ListStages returns an API's stages ordered by name.
func (s *Store) ListStages(ctx context.Context, apiID string) ([]store.Stage, error) {
	rows, err := s.query(ctx, s.apigw().listStages, apiID)
	if err == nil {
		var out []store.Stage
		if out, err = collect(rows, scanStage); err == nil {
			return out, nil
		}
	}
	return nil, fmt.Errorf("sqlstore: list stages of REST API %q: %w", apiID, err)
}

// UpdateStage runs fn on one stage, with it locked, and writes back what
// fn returns. fn must not change APIID or Name; a DeploymentID that names
// no deployment of the API is an ErrNotFound.
func (s *Store) UpdateStage(ctx context.Context, apiID, name string, fn func(store.Stage) (store.Stage, error)) error {
	op := fmt.Sprintf("update stage %q of REST API %q", name, apiID)
	return s.gatewayWrite(ctx, op, func(tx *sql.Tx) error {
		old, err := scanStage(tx.QueryRowContext(ctx, s.apigw().getStageForUpdate, apiID, name))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound(fmt.Sprintf("stage %q of REST API %q", name, apiID))
		}
		if err != nil {
			return fmt.Errorf("sqlstore: %s: read: %w", op, err)
		}
		st, err := fn(old)
		if err != nil {
			return err
		}
		if err := keyChanged(op, "APIID", old.APIID, st.APIID); err != nil {
			return err
		}
		if err := keyChanged(op, "Name", old.Name, st.Name); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, s.apigw().updateStage, s.stageArgs(st)...)
		return s.mapErr(err, op, "conflicting stage", fmt.Sprintf("deployment %q does not exist", st.DeploymentID))
	})
}

// DeleteStage deletes one stage of an API; a missing one is an
// ErrNotFound.
func (s *Store) DeleteStage(ctx context.Context, apiID, name string) error {
	what := fmt.Sprintf("stage %q of REST API %q", name, apiID)
	return s.gatewayWrite(ctx, "delete "+what, func(tx *sql.Tx) error {
		return s.deleteOne(ctx, tx, "delete "+what, what, s.apigw().deleteStage, apiID, name)
	})
}

// ListDeployedStages returns every stage with its API and deployment.
func (s *Store) ListDeployedStages(ctx context.Context) ([]store.DeployedStage, error) {
	rows, err := s.query(ctx, s.apigw().deployedStages)
	if err == nil {
		var out []store.DeployedStage
		if out, err = collect(rows, scanDeployedStage); err == nil {
			return out, nil
		}
	}
	return nil, fmt.Errorf("sqlstore: list deployed stages: %w", err)
}

func (s *Store) apiArgs(a store.RestAPI) []any {
	return []any{a.ID, a.Region, a.Name, a.StackID, blobArg(a.Definition), s.d.timeArg(a.CreatedAt), s.d.timeArg(a.UpdatedAt)}
}

func (s *Store) stageArgs(st store.Stage) []any {
	return []any{st.APIID, st.Name, st.DeploymentID, blobArg(st.Variables), s.d.timeArg(st.CreatedAt), s.d.timeArg(st.UpdatedAt)}
}

func scanAPI(r rowScanner) (store.RestAPI, error) {
	var a store.RestAPI
	err := r.Scan(&a.ID, &a.Region, &a.Name, &a.StackID, blobCol{&a.Definition}, timeCol{&a.CreatedAt}, timeCol{&a.UpdatedAt})
	return a, err
}

func scanPart(r rowScanner) (store.APIPart, error) {
	var p store.APIPart
	err := r.Scan(&p.APIID, &p.Kind, &p.ID, blobCol{&p.Properties}, timeCol{&p.UpdatedAt})
	return p, err
}

func scanDeployment(r rowScanner) (store.Deployment, error) {
	var d store.Deployment
	err := r.Scan(&d.APIID, &d.ID, &d.Description, blobCol{&d.Definition}, timeCol{&d.CreatedAt})
	return d, err
}

func scanStage(r rowScanner) (store.Stage, error) {
	var st store.Stage
	err := r.Scan(&st.APIID, &st.Name, &st.DeploymentID, blobCol{&st.Variables}, timeCol{&st.CreatedAt}, timeCol{&st.UpdatedAt})
	return st, err
}

func scanDeployedStage(r rowScanner) (store.DeployedStage, error) {
	var d store.DeployedStage
	err := r.Scan(&d.Region, &d.APIID, &d.APIName, &d.StageName, &d.DeploymentID, blobCol{&d.Variables}, blobCol{&d.Definition})
	return d, err
}
