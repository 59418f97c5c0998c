package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/spf13/cobra"
)

func keysCommand() *cobra.Command {
	keys := &cobra.Command{Use: "keys", Short: "Manage user pool signing keys"}
	var endpoint, poolID string
	var creds adminCredentials
	rotate := &cobra.Command{
		Use:   "rotate --user-pool-id P",
		Short: "Add new signing keys to a pool; old keys stay in the JWKS until their tokens expire",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if poolID == "" {
				return fmt.Errorf("missing --user-pool-id")
			}
			region, _, ok := strings.Cut(poolID, "_")
			if !ok {
				return fmt.Errorf("--user-pool-id %q: want a pool id such as us-east-1_AbCdEfGhI", poolID)
			}
			body, _ := json.Marshal(map[string]string{"UserPoolId": poolID})
			ctx, cancel := context.WithTimeout(cmd.Context(), 30*time.Second)
			defer cancel()
			resp, err := adminPost(ctx, strings.TrimRight(endpoint, "/")+"/_cognate/keys/rotate", body, region, creds.resolve(os.Getenv))
			if err != nil {
				return err
			}
			_, err = cmd.OutOrStdout().Write(resp)
			return err
		},
	}
	rotate.Flags().StringVar(&endpoint, "endpoint", defaultEndpoint, "URL of the Cognate server")
	rotate.Flags().StringVar(&poolID, "user-pool-id", "", "the pool whose keys to rotate")
	creds.flags(rotate)
	keys.AddCommand(rotate)
	return keys
}

// adminCredentials are the SigV4 credentials of admin calls: flags, then
// COGNATE_* or AWS_* environment variables, then a placeholder that a
// loopback server without configured credentials accepts.
type adminCredentials struct{ accessKeyID, secretAccessKey string }

func (c *adminCredentials) flags(cmd *cobra.Command) {
	cmd.Flags().StringVar(&c.accessKeyID, "access-key-id", "", "admin access key id (default: $COGNATE_ACCESS_KEY_ID or $AWS_ACCESS_KEY_ID)")
	cmd.Flags().StringVar(&c.secretAccessKey, "secret-access-key", "", "admin secret access key (default: $COGNATE_SECRET_ACCESS_KEY or $AWS_SECRET_ACCESS_KEY)")
}

func (c adminCredentials) resolve(getenv func(string) string) aws.Credentials {
	id, secret := c.accessKeyID, c.secretAccessKey
	for _, pair := range [][2]string{{"COGNATE_ACCESS_KEY_ID", "COGNATE_SECRET_ACCESS_KEY"}, {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}} {
		if id == "" && secret == "" {
			id, secret = getenv(pair[0]), getenv(pair[1])
		}
	}
	if id == "" {
		id, secret = "cognate", "cognate"
	}
	return aws.Credentials{AccessKeyID: id, SecretAccessKey: secret}
}

// adminPost sends a SigV4-signed JSON POST to a Cognate admin endpoint.
func adminPost(ctx context.Context, url string, body []byte, region string, creds aws.Credentials) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	sum := sha256.Sum256(body)
	if err := v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), "cognito-idp", region, time.Now()); err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("POST %s: %w (is `cognate up` running?)", url, err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		var e struct{ Message string }
		if json.Unmarshal(out, &e) == nil && e.Message != "" {
			return nil, fmt.Errorf("%s: %s", resp.Status, e.Message)
		}
		return nil, fmt.Errorf("%s: %s", resp.Status, strings.TrimSpace(string(out)))
	}
	return out, nil
}
