package apigw

import (
	"context"
	"encoding/json"
	"time"

	"github.com/cognatehq/cognate/internal/store"
)

// Lambda's defaults and limits [doc].
const (
	DefaultTimeout    = 3   // seconds
	DefaultMemorySize = 128 // MB
	maxTimeout        = 900
	minMemorySize     = 128
	maxMemorySize     = 10240
)

// Function is a Lambda function record. Environment is in plain text
// here; the store holds it sealed.
type Function struct {
	Region      string
	Name        string
	ARN         string
	StackID     string
	LogicalID   string
	Runtime     string
	Handler     string
	Code        json.RawMessage // the Code property as given
	Environment map[string]string
	Timeout     int // seconds
	MemorySize  int // MB
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// FunctionInput is what a caller sets on a function. Zero Timeout and
// MemorySize mean Lambda's defaults.
type FunctionInput struct {
	StackID     string
	LogicalID   string
	Runtime     string
	Handler     string
	Code        json.RawMessage
	Environment map[string]string
	Timeout     int
	MemorySize  int
}

// FunctionARN returns arn:aws:lambda:{region}:{account}:function:{name}.
func (s *Service) FunctionARN(region, name string) string {
	return "arn:aws:lambda:" + region + ":" + s.accountID + ":function:" + name
}

func (in *FunctionInput) normalise(name string) error {
	if !functionNameRe.MatchString(name) {
		// [doc] Lambda's pattern for FunctionName; the message follows its
		// validation errors.
		return errorf(KindBadRequest, "1 validation error detected: Value '%s' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9-_]+ (and be 1 to 64 characters long)", name)
	}
	if in.Timeout == 0 {
		in.Timeout = DefaultTimeout
	}
	if in.MemorySize == 0 {
		in.MemorySize = DefaultMemorySize
	}
	if in.Timeout < 1 || in.Timeout > maxTimeout {
		return errorf(KindBadRequest, "1 validation error detected: Value '%d' at 'timeout' failed to satisfy constraint: Member must have value between 1 and %d", in.Timeout, maxTimeout)
	}
	if in.MemorySize < minMemorySize || in.MemorySize > maxMemorySize {
		return errorf(KindBadRequest, "1 validation error detected: Value '%d' at 'memorySize' failed to satisfy constraint: Member must have value between %d and %d", in.MemorySize, minMemorySize, maxMemorySize)
	}
	return nil
}

// environmentAAD binds a sealed environment to its function.
func environmentAAD(arn string) string { return "lambda-environment:" + arn }

func (s *Service) sealEnvironment(arn string, env map[string]string) ([]byte, error) {
	if len(env) == 0 {
		return nil, nil
	}
	b, err := json.Marshal(env)
	if err != nil {
		return nil, &Error{Kind: KindInternal, Msg: "encode environment", Err: err}
	}
	return s.sealer.Seal(b, environmentAAD(arn)), nil
}

func (s *Service) functionFromRecord(rec store.Function) (Function, error) {
	f := Function{Region: rec.Region, Name: rec.Name, ARN: rec.ARN, StackID: rec.StackID, LogicalID: rec.LogicalID,
		Runtime: rec.Runtime, Handler: rec.Handler, Code: json.RawMessage(rec.Code), Timeout: rec.Timeout,
		MemorySize: rec.MemorySize, CreatedAt: rec.CreatedAt, UpdatedAt: rec.UpdatedAt}
	if rec.EnvironmentSealed != nil {
		b, err := s.sealer.Open(rec.EnvironmentSealed, environmentAAD(rec.ARN))
		if err != nil {
			return Function{}, &Error{Kind: KindInternal, Msg: "open the environment of function " + rec.ARN, Err: err}
		}
		if err := json.Unmarshal(b, &f.Environment); err != nil {
			return Function{}, &Error{Kind: KindInternal, Msg: "decode the environment of function " + rec.ARN, Err: err}
		}
	}
	return f, nil
}

func functionNotFound(arn string) *Error {
	return errorf(KindNotFound, "Function not found: %s", arn) // [obs] ResourceNotFoundException
}

// CreateFunction records a function. Its environment is sealed before it
// reaches the store.
func (s *Service) CreateFunction(ctx context.Context, region, name string, in FunctionInput) (Function, error) {
	if err := in.normalise(name); err != nil {
		return Function{}, err
	}
	arn := s.FunctionARN(region, name)
	env, err := s.sealEnvironment(arn, in.Environment)
	if err != nil {
		return Function{}, err
	}
	now := s.timestamp()
	rec := store.Function{Region: region, Name: name, ARN: arn, StackID: in.StackID, LogicalID: in.LogicalID,
		Runtime: in.Runtime, Handler: in.Handler, Code: in.Code, EnvironmentSealed: env, Timeout: in.Timeout,
		MemorySize: in.MemorySize, CreatedAt: now, UpdatedAt: now}
	if err := s.store.CreateFunction(ctx, rec); err != nil {
		// [obs] ResourceConflictException "Function already exist: name".
		return Function{}, storeErr("create function", err, nil, errorf(KindConflict, "Function already exist: %s", name))
	}
	return s.functionFromRecord(rec)
}

// UpdateFunction replaces a function's settings.
func (s *Service) UpdateFunction(ctx context.Context, region, name string, in FunctionInput) (Function, error) {
	if err := in.normalise(name); err != nil {
		return Function{}, err
	}
	arn := s.FunctionARN(region, name)
	env, err := s.sealEnvironment(arn, in.Environment)
	if err != nil {
		return Function{}, err
	}
	var out store.Function
	err = s.store.UpdateFunction(ctx, region, name, func(rec store.Function) (store.Function, error) {
		rec.ARN, rec.StackID, rec.LogicalID, rec.Runtime, rec.Handler = arn, in.StackID, in.LogicalID, in.Runtime, in.Handler
		rec.Code, rec.EnvironmentSealed, rec.Timeout, rec.MemorySize, rec.UpdatedAt = in.Code, env, in.Timeout, in.MemorySize, s.timestamp()
		out = rec
		return rec, nil
	})
	if err != nil {
		return Function{}, storeErr("update function", err, functionNotFound(arn), nil)
	}
	return s.functionFromRecord(out)
}

// DeleteFunction deletes a function record.
func (s *Service) DeleteFunction(ctx context.Context, region, name string) error {
	return storeErr("delete function", s.store.DeleteFunction(ctx, region, name), functionNotFound(s.FunctionARN(region, name)), nil)
}

// GetFunction returns a function by region and name.
func (s *Service) GetFunction(ctx context.Context, region, name string) (Function, error) {
	rec, err := s.store.GetFunction(ctx, region, name)
	if err != nil {
		return Function{}, storeErr("get function", err, functionNotFound(s.FunctionARN(region, name)), nil)
	}
	return s.functionFromRecord(rec)
}

// FunctionByARN returns the function with arn (an integration's
// function ARN).
func (s *Service) FunctionByARN(ctx context.Context, arn string) (Function, error) {
	rec, err := s.store.GetFunctionByARN(ctx, arn)
	if err != nil {
		return Function{}, storeErr("get function", err, functionNotFound(arn), nil)
	}
	return s.functionFromRecord(rec)
}

// Functions returns every function, ordered by region and name.
func (s *Service) Functions(ctx context.Context) ([]Function, error) {
	recs, err := s.store.ListFunctions(ctx)
	if err != nil {
		return nil, storeErr("list functions", err, nil, nil)
	}
	out := make([]Function, 0, len(recs))
	for _, r := range recs {
		f, err := s.functionFromRecord(r)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}
