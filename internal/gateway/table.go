package gateway

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/cognatehq/cognate/internal/gateway/apimodel"
	"github.com/cognatehq/cognate/internal/gateway/route"
	"github.com/cognatehq/cognate/internal/gateway/validate"
)

// table is every deployed stage, compiled. It is immutable once built:
// a change builds a new one and swaps it in whole.
type table struct {
	// generation is the Source's generation read before the stages were.
	generation int64
	// wanted is the invalidation count this table satisfies.
	wanted int64
	// apis are keyed by API id.
	apis map[string]*apiEntry
}

// apiEntry is one REST API's stages, keyed by stage name.
type apiEntry struct {
	stages map[string]*stageEntry
}

// stageEntry is one compiled stage. When the definition does not
// compile, err says why and the stage answers 500
// API_CONFIGURATION_ERROR.
type stageEntry struct {
	Stage
	api      *apimodel.API
	routes   *route.Table
	err      error
	checkers map[*apimodel.Method]*validate.Checker
	// upstreams map a function ARN to the URL its routes were pointed
	// at; functions without one are absent.
	upstreams map[string]string
	// targets are the parsed URIs of HTTP and HTTP_PROXY integrations
	// that need no substitution, so that a request does not parse them.
	targets map[*apimodel.Integration]*url.URL
	// requests count the stage's answered requests (see
	// metrics.stageRequest).
	requests stageCounters
	// loggers are the access loggers of the stage's resources, with the
	// API, stage and resource path bound (see call.finish).
	loggers routeLoggers
}

// routeLoggers keeps, per resource of a stage, a logger with the api,
// stage and resource_path attributes already bound: a handler formats
// bound attributes once, which took an access record from 1.6 to 1.1 µs
// and 168 to 8 bytes allocated (BenchmarkAccessRecord, 2026-11-25). The
// keys are the definition's resources, so the map is bounded by it.
type routeLoggers struct {
	mu sync.RWMutex
	m  map[*apimodel.Resource]*slog.Logger
}

// get returns res's logger, built from base on first use.
func (l *routeLoggers) get(base *slog.Logger, apiID, stage string, res *apimodel.Resource) *slog.Logger {
	l.mu.RLock()
	lg := l.m[res]
	l.mu.RUnlock()
	if lg != nil {
		return lg
	}
	lg = base.With(slog.String("api", apiID), slog.String("stage", stage), slog.String("resource_path", res.Path))
	l.mu.Lock()
	if l.m == nil {
		l.m = make(map[*apimodel.Resource]*slog.Logger)
	}
	l.m[res] = lg
	l.mu.Unlock()
	return lg
}

// tableHolder holds the current table and rebuilds it: synchronously on
// the first request after Invalidate (one rebuild at a time, the other
// requests wait for it), and from Run when the generation moves.
type tableHolder struct {
	source    Source
	upstreams Upstreams
	log       *slog.Logger
	compile   func(apimodel.Definition) (*apimodel.API, error)

	cur     atomic.Pointer[table]
	wanted  atomic.Int64 // incremented by Invalidate
	rebuild sync.Mutex
}

func newTableHolder(src Source, up Upstreams, log *slog.Logger, compile func(apimodel.Definition) (*apimodel.API, error)) *tableHolder {
	h := &tableHolder{source: src, upstreams: up, log: log, compile: compile}
	h.wanted.Store(1) // no table yet: the first use builds one
	return h
}

// invalidate makes the next get rebuild the table.
func (h *tableHolder) invalidate() { h.wanted.Add(1) }

// get returns a table that reflects every invalidate made before the
// call. When the store cannot be read it keeps serving the last table,
// and returns an error only when there is none.
func (h *tableHolder) get(ctx context.Context) (*table, error) {
	t := h.cur.Load()
	want := h.wanted.Load()
	if t != nil && t.wanted >= want {
		return t, nil
	}
	h.rebuild.Lock()
	defer h.rebuild.Unlock()
	t = h.cur.Load()
	if t != nil && t.wanted >= want {
		return t, nil // another request rebuilt it while this one waited
	}
	return h.rebuildLocked(ctx, -1)
}

// refresh rebuilds the table when the store's generation differs from
// the table's; Run calls it on every tick.
func (h *tableHolder) refresh(ctx context.Context) error {
	gen, err := h.source.Generation(ctx)
	if err != nil {
		return fmt.Errorf("read the stage generation: %w", err)
	}
	if t := h.cur.Load(); t != nil && t.generation == gen {
		return nil
	}
	h.rebuild.Lock()
	defer h.rebuild.Unlock()
	if t := h.cur.Load(); t != nil && t.generation == gen {
		return nil
	}
	_, err = h.rebuildLocked(ctx, gen)
	return err
}

// rebuildLocked builds and swaps in a new table; gen is the generation
// already read, or -1 to read it. The caller holds h.rebuild.
func (h *tableHolder) rebuildLocked(ctx context.Context, gen int64) (*table, error) {
	want := h.wanted.Load()
	old := h.cur.Load()
	t, err := h.build(ctx, gen)
	if err != nil {
		if old == nil {
			return nil, err
		}
		h.log.ErrorContext(ctx, "gateway: rebuilding the route table failed; serving the previous one", "error", err)
		// Keep the old routes but mark the invalidation served, so that
		// a broken store is not read once per request; Run retries, as
		// the old generation no longer matches the store's.
		kept := *old
		kept.wanted = want
		h.cur.Store(&kept)
		return &kept, nil
	}
	t.wanted = want
	h.cur.Store(t)
	return t, nil
}

// build reads every stage and compiles it.
func (h *tableHolder) build(ctx context.Context, gen int64) (*table, error) {
	if gen < 0 {
		g, err := h.source.Generation(ctx)
		if err != nil {
			return nil, fmt.Errorf("read the stage generation: %w", err)
		}
		gen = g
	}
	stages, err := h.source.Stages(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the deployed stages: %w", err)
	}
	t := &table{generation: gen, apis: make(map[string]*apiEntry)}
	for _, s := range stages {
		a := t.apis[s.APIID]
		if a == nil {
			a = &apiEntry{stages: make(map[string]*stageEntry)}
			t.apis[s.APIID] = a
		}
		a.stages[s.StageName] = h.compileStage(ctx, s)
	}
	return t, nil
}

// compileStage compiles one stage. A stage that fails is logged and kept
// with its error, so that it answers 500 and the others keep working.
func (h *tableHolder) compileStage(ctx context.Context, s Stage) *stageEntry {
	e := &stageEntry{Stage: s}
	fail := func(err error) *stageEntry {
		e.err = err
		h.log.ErrorContext(ctx, "gateway: stage does not compile; it answers 500 until redeployed",
			"api", s.APIID, "api_name", s.APIName, "stage", s.StageName, "deployment", s.DeploymentID, "error", err)
		return e
	}
	api, err := h.compile(s.Definition)
	if err != nil {
		return fail(err)
	}
	e.api = api
	e.routes = route.New(api)
	e.checkers = make(map[*apimodel.Method]*validate.Checker)
	e.upstreams = make(map[string]string)
	e.targets = make(map[*apimodel.Integration]*url.URL)
	for _, res := range api.Resources {
		for _, m := range res.Methods {
			if u, ok := staticTarget(&m.Integration); ok {
				e.targets[&m.Integration] = u
			}
			if m.Validator != nil {
				c, err := validate.Compile(m)
				if err != nil {
					return fail(fmt.Errorf("%s %s: request validator %q: %w", m.HTTPMethod, res.Path, m.Validator.Name, err))
				}
				e.checkers[m] = c
			}
			if arn := m.Integration.FunctionARN; m.Integration.Type == apimodel.IntegrationAWSProxy && arn != "" && h.upstreams != nil {
				if _, done := e.upstreams[arn]; done {
					continue
				}
				url, ok, err := h.upstreams.Upstream(ctx, arn)
				switch {
				case err != nil:
					h.log.ErrorContext(ctx, "gateway: resolving a function's upstream failed; its routes answer 502",
						"api", s.APIID, "stage", s.StageName, "function", arn, "error", err)
				case ok:
					e.upstreams[arn] = url
				}
			}
		}
	}
	return e
}

// staticTarget parses the URI of an HTTP or HTTP_PROXY integration that
// maps no parameters and names no stage variable.
func staticTarget(it *apimodel.Integration) (*url.URL, bool) {
	if t := strings.ToUpper(it.Type); t != apimodel.IntegrationHTTP && t != apimodel.IntegrationHTTPProxy ||
		len(it.RequestParameters) > 0 || strings.Contains(it.URI, "${") {
		return nil, false
	}
	u, err := url.Parse(it.URI)
	if err != nil || u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, false // integrationURL reports it, per request
	}
	return u, true
}
