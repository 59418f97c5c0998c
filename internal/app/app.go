package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net"
	"os"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/cognatehq/cognate/internal/apigw"
	"github.com/cognatehq/cognate/internal/config"
	"github.com/cognatehq/cognate/internal/gateway"
	"github.com/cognatehq/cognate/internal/identity"
	"github.com/cognatehq/cognate/internal/logging"
	"github.com/cognatehq/cognate/internal/sealer"
	"github.com/cognatehq/cognate/internal/ssm"
	"github.com/cognatehq/cognate/internal/stack"
	"github.com/cognatehq/cognate/internal/stack/provider"
	"github.com/cognatehq/cognate/internal/stack/sam"
	"github.com/cognatehq/cognate/internal/stack/template"
	"github.com/cognatehq/cognate/internal/store"
	"github.com/cognatehq/cognate/internal/store/sqlstore"
)

// Run runs the server until ctx is cancelled. ready, when not nil,
// receives the listener's address once the server accepts connections.
func Run(ctx context.Context, cfg config.Config, stdout, stderr io.Writer, ready chan<- string) error {
	start := time.Now()
	// Records are written in batches (see logging.BufferedWriter);
	// warnings and errors at once.
	out := logging.NewBufferedWriter(stderr)
	defer out.Close()
	log, err := logging.New(out, cfg.LogFormat, cfg.LogLevel)
	if err != nil {
		return err
	}
	seal, err := openSealer(cfg, log)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := checkMasterKey(ctx, st, seal); err != nil {
		return err
	}

	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w (is another cognate already running? choose another port with --listen)", cfg.Listen, err)
	}
	defer ln.Close()
	if cfg.PublicURL == "" {
		cfg.PublicURL = config.PublicURLFor(ln.Addr().String())
	}
	style := identity.IssuerLocal
	if cfg.IssuerStyle == "aws" {
		style = identity.IssuerAWS
	}
	ids := identity.New(identity.Config{Store: st, Sealer: seal, AccountID: cfg.AccountID,
		PublicURL: cfg.PublicURL, IssuerStyle: style, Logger: log})
	params := ssm.New(ssm.Config{Store: st, Sealer: seal, AccountID: cfg.AccountID, Logger: log})
	apis := apigw.New(apigw.Config{Store: st, Sealer: seal, AccountID: cfg.AccountID})
	providers := provider.All(ids, params)
	maps.Copy(providers, provider.Gateway(apis, ids))
	// gw is set below; a stack change before then has nothing to refresh.
	var gw *gateway.Gateway
	stacks := stack.New(stack.Config{Store: st, Sealer: seal, AccountID: cfg.AccountID,
		Providers: providers, SSM: provider.SSMSource{Parameters: params}, Logger: log,
		Transform: serverSideTransform,
		OnChange: func(string) {
			// Upstream tags live with the stack: moving the generation
			// makes every node rebuild its routes, and this node at once.
			if err := st.BumpGatewayGeneration(context.Background()); err != nil {
				log.Warn("bump the gateway generation after a stack change", "err", err)
			}
			if gw != nil {
				gw.Invalidate()
			}
		}})
	if !cfg.IsPostgres() {
		// A deploy that a crash (kill -9 included) interrupted is rolled
		// back before serving: the embedded store belongs to this process
		// alone, so any operation in flight was abandoned. (On a shared
		// PostgreSQL, recoverStacksLoop below waits until an operation has
		// been idle long enough that no live node can be running it.)
		recovered, err := stacks.Recover(ctx)
		if err != nil {
			return fmt.Errorf("recover interrupted stack operations: %w", err)
		}
		for _, name := range recovered {
			log.WarnContext(ctx, "rolled back a stack operation interrupted by a crash", "stack", name)
		}
	}
	reg := prometheus.NewRegistry()
	gw = newGateway(cfg, ln.Addr().String(), apis, ids, stacks, reg, log)
	srv, err := buildServer(cfg, ids, params, stacks, gw, reg, log)
	if err != nil {
		return err
	}
	go func() {
		if err := gw.Run(ctx); err != nil && ctx.Err() == nil {
			log.Error("gateway route refresh stopped", "err", err)
		}
	}()
	go pruneKeysLoop(ctx, ids, log)
	if cfg.IsPostgres() {
		go recoverStacksLoop(ctx, stacks, log)
	}
	printEndpoints(stdout, cfg, st, ln.Addr().String(), time.Since(start))
	if ready != nil {
		ready <- ln.Addr().String()
	}
	log.Info("cognate ready", "listen", ln.Addr().String(), "store", storeName(cfg), "master_key_id", seal.KeyID(),
		"startup_ms", time.Since(start).Milliseconds())
	err = srv.Serve(ctx, ln, 10*time.Second)
	log.Info("cognate stopped")
	return err
}

func storeName(cfg config.Config) string {
	if cfg.IsPostgres() {
		return "postgres"
	}
	return "sqlite:" + cfg.SQLitePath()
}

func openStore(ctx context.Context, cfg config.Config) (*sqlstore.Store, error) {
	openCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if cfg.IsPostgres() {
		st, err := sqlstore.OpenPostgres(openCtx, cfg.Store)
		if err != nil {
			return nil, fmt.Errorf("open PostgreSQL store: %w (check the --store URL and that the server is reachable)", err)
		}
		return st, nil
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create data dir %s: %w", cfg.DataDir, err)
	}
	// The embedded store belongs to one process: the lock keeps a second
	// cognate off the same data dir and lets the store cache token reads.
	st, err := sqlstore.OpenSQLiteExclusive(openCtx, cfg.SQLitePath())
	if errors.Is(err, sqlstore.ErrLocked) {
		return nil, fmt.Errorf("data dir %s is in use by another cognate process: stop it, or start this one with another --data (%w)", cfg.DataDir, err)
	}
	if err != nil {
		return nil, fmt.Errorf("open SQLite store in %s: %w", cfg.DataDir, err)
	}
	return st, nil
}

// openSealer finds the master key: COGNATE_MASTER_KEY, --master-key-file,
// or (SQLite only) a key generated once into the data dir with mode 0600.
func openSealer(cfg config.Config, log *slog.Logger) (*sealer.Sealer, error) {
	var key []byte
	var err error
	switch {
	case cfg.MasterKey != "":
		key, err = sealer.ParseKey(cfg.MasterKey)
		if err != nil {
			err = fmt.Errorf("%s: %w", config.EnvMasterKey, err)
		}
	case cfg.MasterKeyFile != "":
		key, err = sealer.ReadKeyFile(cfg.MasterKeyFile)
	default:
		var created bool
		key, created, err = sealer.LoadOrCreateKeyFile(cfg.GeneratedMasterKeyPath())
		if created {
			log.Info("generated a master key for secrets at rest; back it up with the data dir", "path", cfg.GeneratedMasterKeyPath())
		}
	}
	if err != nil {
		return nil, err
	}
	return sealer.New(key)
}

const masterKeyCheck = "master_key_check"

// checkMasterKey proves that the master key opens the secrets already in
// the store: the first start seals a check value into the store's meta
// table, later starts must open it.
func checkMasterKey(ctx context.Context, st store.Store, seal *sealer.Sealer) error {
	stored, err := st.PutMetaIfAbsent(ctx, masterKeyCheck, seal.Seal([]byte("cognate"), masterKeyCheck))
	if err != nil {
		return fmt.Errorf("read master key check from the store: %w", err)
	}
	if _, err := seal.Open(stored, masterKeyCheck); err != nil {
		return errors.New("the master key does not match the one this store's secrets were encrypted with: start with the original key (" +
			config.EnvMasterKey + " or --master-key-file), or use a new data directory/database")
	}
	return nil
}

// abandonedAfter is how long a stack operation on a shared store must
// have been idle before a node rolls it back: an operation writes its
// journal before every provider action, and Cognate's providers act in
// milliseconds, so ten minutes of silence means its node is gone.
const abandonedAfter = 10 * time.Minute

// recoverStacksLoop rolls back, on a shared PostgreSQL store, stack
// operations that a dead node abandoned: at start, then every minute.
func recoverStacksLoop(ctx context.Context, stacks *stack.Engine, log *slog.Logger) {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		names, err := stacks.RecoverAbandoned(ctx, abandonedAfter)
		if err != nil && ctx.Err() == nil {
			log.WarnContext(ctx, "recover abandoned stack operations", "err", err)
		}
		for _, name := range names {
			log.WarnContext(ctx, "rolled back a stack operation abandoned by a node that stopped", "stack", name)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func pruneKeysLoop(ctx context.Context, ids *identity.Service, log *slog.Logger) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := ids.PruneRetiredKeys(ctx); err != nil {
				log.WarnContext(ctx, "prune retired signing keys", "err", err)
			} else if n > 0 {
				log.InfoContext(ctx, "pruned retired signing keys", "count", n)
			}
		}
	}
}

func printEndpoints(w io.Writer, cfg config.Config, st *sqlstore.Store, addr string, took time.Duration) {
	_, port, _ := net.SplitHostPort(addr)
	base := cfg.PublicURL
	fmt.Fprintf(w, "Cognate %s is up on %s (%s store, ready in %d ms)\n\n", cfg.Version, addr, st.Dialect(), took.Milliseconds())
	fmt.Fprintf(w, "  AWS APIs                aws --endpoint-url %s --region %s cognito-idp|ssm|cloudformation ...\n", base, cfg.Region)
	fmt.Fprintf(w, "  Token endpoint          %s/_domain/{domain}/oauth2/token\n", base)
	fmt.Fprintf(w, "                          http://{domain}.auth.%s.localhost:%s/oauth2/token\n", cfg.Region, port)
	fmt.Fprintf(w, "  REST APIs               http://{apiId}.execute-api.localhost:%s/{stage}/...\n", port)
	fmt.Fprintf(w, "                          %s/restapis/{apiId}/{stage}/_user_request_/...\n", base)
	fmt.Fprintf(w, "  Keys and discovery      %s/{userPoolId}/.well-known/jwks.json\n", base)
	fmt.Fprintf(w, "                          %s/{userPoolId}/.well-known/openid-configuration\n", base)
	fmt.Fprintf(w, "  Health and metrics      %s/_cognate/health  %s/_cognate/metrics\n", base, base)
	if !cfg.IsPostgres() {
		fmt.Fprintf(w, "  Data                    %s\n", cfg.DataDir)
	}
	fmt.Fprintln(w)
}

// serverSideTransform applies the transforms of a template sent through
// the CloudFormation API (AWS::Serverless-2016-10-31, AWS::Include). The
// server cannot read the caller's files, so a local include is refused
// with a message that says what to do instead.
func serverSideTransform(t *template.Template) (*template.Template, error) {
	return sam.Transform(t, sam.Options{Load: func(location string) ([]byte, error) {
		return nil, fmt.Errorf("the server cannot read the caller's files: put the content of %s into the template body", location)
	}})
}
