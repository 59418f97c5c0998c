package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/cognatehq/cognate/internal/app"
	"github.com/cognatehq/cognate/internal/config"
)

func upCommand() *cobra.Command {
	cfg := config.Default()
	cmd := &cobra.Command{
		Use:   "up",
		Short: "Run the Cognate server (Cognito API, hosted domains, JWKS) on one listener",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg.ApplyEnv(os.Getenv)
			cfg.Version = version
			if err := cfg.Validate(); err != nil {
				return fmt.Errorf("invalid configuration:\n%w", err)
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return app.Run(ctx, cfg, cmd.OutOrStdout(), cmd.ErrOrStderr(), nil)
		},
	}
	f := cmd.Flags()
	f.StringVar(&cfg.Listen, "listen", cfg.Listen, "address to listen on (host:port)")
	f.StringVar(&cfg.DataDir, "data", cfg.DataDir, "data directory of the embedded SQLite store and its generated master key")
	f.StringVar(&cfg.Store, "store", "", "postgres:// URL of a PostgreSQL store shared by many nodes (default: SQLite in --data)")
	f.StringVar(&cfg.Region, "region", cfg.Region, "region of AWS API calls that carry no SigV4 scope")
	f.StringVar(&cfg.AccountID, "account-id", cfg.AccountID, "AWS account id used in ARNs")
	f.StringVar(&cfg.PublicURL, "public-url", "", "base URL that goes into token issuers and discovery documents (default http://{listen})")
	f.StringVar(&cfg.IssuerStyle, "issuer-style", cfg.IssuerStyle, "iss of issued tokens: local ({public-url}/{poolId}) or aws (https://cognito-idp.{region}.amazonaws.com/{poolId})")
	f.StringVar(&cfg.AccessKeyID, "access-key-id", "", "admin access key id; with --secret-access-key, SigV4 signatures are verified (env "+config.EnvAccessKeyID+")")
	f.StringVar(&cfg.SecretAccessKey, "secret-access-key", "", "admin secret access key (env "+config.EnvSecretAccessKey+")")
	f.StringVar(&cfg.MasterKeyFile, "master-key-file", "", "file holding the master key that encrypts secrets at rest (or env "+config.EnvMasterKey+"; default: generated into --data)")
	f.BoolVar(&cfg.AllowReset, "allow-reset", false, "allow POST /_cognate/reset on a non-loopback listener")
	f.StringVar(&cfg.LogFormat, "log-format", cfg.LogFormat, "log format: text or json")
	f.StringVar(&cfg.LogLevel, "log-level", cfg.LogLevel, "log level: debug, info, warn or error")
	f.BoolVar(&cfg.ExplainDenials, "explain-denials", cfg.ExplainDenials, "on a loopback listener, add an x-cognate-reason header to gateway denials naming the check that failed")
	f.DurationVar(&cfg.GatewayTimeout, "gateway-timeout", cfg.GatewayTimeout, "integration timeout of gateway routes whose definition sets none (API Gateway's default is 29s)")
	return cmd
}
