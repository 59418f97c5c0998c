package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/oauth2"
)

// envClientSecret lets scripts pass the secret without putting it on the
// command line (and so in shell history and ps output).
const envClientSecret = "COGNATE_CLIENT_SECRET"

func tokenCommand() *cobra.Command {
	var endpoint, domain, clientID, clientSecret, output string
	var scopes []string
	cmd := &cobra.Command{
		Use:   "token --domain D --client-id I [--client-secret S] [--scope X ...]",
		Short: "Get a client-credentials access token from a pool's hosted domain and print it",
		Long: `Get a client-credentials access token, as Postman's "Get New Access Token" does,
and print it. The client secret may come from ` + envClientSecret + ` instead of
--client-secret, so it stays out of shell history.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if clientSecret == "" {
				clientSecret = os.Getenv(envClientSecret)
			}
			var missing []string
			if domain == "" {
				missing = append(missing, "--domain")
			}
			if clientID == "" {
				missing = append(missing, "--client-id")
			}
			if clientSecret == "" {
				missing = append(missing, "--client-secret (or "+envClientSecret+")")
			}
			if len(missing) > 0 {
				return fmt.Errorf("missing %s", strings.Join(missing, ", "))
			}
			ctx, cancel := context.WithTimeout(cmd.Context(), 30*time.Second)
			defer cancel()
			tok, err := fetchClientCredentialsToken(ctx, endpoint, domain, clientID, clientSecret, scopes)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			switch output {
			case "json":
				return json.NewEncoder(out).Encode(map[string]any{
					"access_token": tok.AccessToken, "token_type": tok.TokenType,
					"expires_in": int64(time.Until(tok.Expiry).Round(time.Second).Seconds())})
			case "token", "":
				_, err := fmt.Fprintln(out, tok.AccessToken)
				return err
			default:
				return fmt.Errorf("--output %q: want token or json", output)
			}
		},
	}
	f := cmd.Flags()
	f.StringVar(&endpoint, "endpoint", defaultEndpoint, "URL of the Cognate server")
	f.StringVar(&domain, "domain", "", "the user pool's domain prefix (e.g. andmoredev)")
	f.StringVar(&clientID, "client-id", "", "app client id")
	f.StringVar(&clientSecret, "client-secret", "", "app client secret (or set "+envClientSecret+")")
	f.StringSliceVar(&scopes, "scope", nil, "scope to request, e.g. layerless-esbuild/api (repeat or comma-separate; default: all of the client's scopes)")
	f.StringVarP(&output, "output", "o", "token", "token (the bare JWT) or json")
	return cmd
}

const defaultEndpoint = "http://127.0.0.1:4566"

// tokenURL is the hosted domain's token endpoint, path style, which works
// with every HTTP client.
func tokenURL(endpoint, domain string) string {
	return strings.TrimRight(endpoint, "/") + "/_domain/" + url.PathEscape(domain) + "/oauth2/token"
}

func fetchClientCredentialsToken(ctx context.Context, endpoint, domain, clientID, secret string, scopes []string) (*oauth2.Token, error) {
	return fetchTokenAt(ctx, tokenURL(endpoint, domain), clientID, secret, scopes)
}

// tokenErrorHint says what usually causes each OAuth error.
func tokenErrorHint(code string) string {
	switch code {
	case "invalid_client":
		return ": the client id or secret is wrong, or the client belongs to another pool than this domain"
	case "invalid_scope":
		return ": the client may not request that scope; check the client's AllowedOAuthScopes"
	case "invalid_grant":
		return ": the client is not enabled for OAuth; set AllowedOAuthFlowsUserPoolClient to true"
	case "unauthorized_client":
		return ": the client does not allow the client_credentials flow (AllowedOAuthFlows) or has no secret"
	case "not_found":
		return ": no user pool has this domain; check --domain (the prefix given to create-user-pool-domain) and --endpoint"
	}
	return ""
}
