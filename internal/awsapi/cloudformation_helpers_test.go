package awsapi

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awscfn "github.com/aws/aws-sdk-go-v2/service/cloudformation"

	"github.com/cognatehq/cognate/internal/identity"
	"github.com/cognatehq/cognate/internal/sealer"
	"github.com/cognatehq/cognate/internal/sigv4"
	"github.com/cognatehq/cognate/internal/ssm"
	"github.com/cognatehq/cognate/internal/stack"
	"github.com/cognatehq/cognate/internal/stack/provider"
	"github.com/cognatehq/cognate/internal/store/sqlstore"
)

// cfnEnv is a running CloudFormation API over a real stack engine, with
// the identity and ssm services as its providers, on a fresh SQLite
// store: the wiring of internal/stack's own tests.
type cfnEnv struct {
	srv    *httptest.Server
	client *awscfn.Client
	eng    *stack.Engine
	params *ssm.Service
	logs   *syncBuffer
}

func newCFNEnv(t *testing.T) *cfnEnv {
	t.Helper()
	st, err := sqlstore.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "cognate.db"))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { _ = st.Close() })
	seal, err := sealer.New(bytes.Repeat([]byte{7}, sealer.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ids := identity.New(identity.Config{Store: st, Sealer: seal, AccountID: testAccount, PublicURL: "http://127.0.0.1:4566"})
	params := ssm.New(ssm.Config{Store: st, Sealer: seal, AccountID: testAccount})
	eng := stack.New(stack.Config{Store: st, Sealer: seal, AccountID: testAccount, Providers: provider.All(ids, params),
		SSM: provider.SSMSource{Parameters: params}, Logger: log})
	verifier := sigv4.NewVerifier(sigv4.Config{Lookup: sigv4.StaticLookup(
		sigv4.Credentials{AccessKeyID: testAccessKey, SecretAccessKey: testSecretKey})})
	srv := httptest.NewServer(NewCloudFormation(eng, verifier, testRegion, log))
	t.Cleanup(srv.Close)
	return &cfnEnv{srv: srv, client: newCFNClient(srv, testRegion), eng: eng, params: params, logs: logs}
}

// newCFNClient returns an SDK client for srv in region, with static
// credentials and no retries, so error tests see the first answer.
func newCFNClient(srv *httptest.Server, region string) *awscfn.Client {
	return awscfn.New(awscfn.Options{
		Region:       region,
		BaseEndpoint: aws.String(srv.URL),
		HTTPClient:   srv.Client(),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: testAccessKey, SecretAccessKey: testSecretKey, Source: "test"}, nil
		}),
		RetryMaxAttempts: 1,
	})
}

// raw sends a hand-made form request; when service is not empty it is
// SigV4-signed for that service and region with the test credentials.
func (e *cfnEnv) raw(t *testing.T, contentType, body, service, region string) rawResponse {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.srv.URL+"/", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return signAndSend(t, e.srv.Client(), req, []byte(body), service, region)
}

// call sends a signed form request.
func (e *cfnEnv) call(t *testing.T, body string) rawResponse {
	t.Helper()
	return e.raw(t, contentTypeForm+"; charset=utf-8", body, cfnSigningName, testRegion)
}

// cfnAuthTemplate is a stack like the article's auth stack: a pool, its
// domain, its id in an SSM parameter, and outputs, one of them exported.
const cfnAuthTemplate = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  DomainName:
    Type: String
    Default: andmoredev
  Secret:
    Type: String
    NoEcho: true
    Default: hunter2
  Label:
    Type: String
    Default: v1
Resources:
  Pool:
    Type: AWS::Cognito::UserPool
  Domain:
    Type: AWS::Cognito::UserPoolDomain
    Properties:
      UserPoolId: !Ref Pool
      Domain: !Ref DomainName
  PoolIdParameter:
    Type: AWS::SSM::Parameter
    Properties:
      Name: !Sub /${AWS::StackName}/CognitoUserPoolId
      Type: String
      Value: !Ref Pool
  LabelParameter:
    Type: AWS::SSM::Parameter
    Properties:
      Name: !Sub /${AWS::StackName}/Label
      Type: String
      Value: !Ref Label
Outputs:
  CognitoUserPoolId:
    Description: The shared user pool
    Value: !Ref Pool
    Export:
      Name: !Sub ${AWS::StackName}-PoolId
  TokenUrl:
    Value: !Sub https://${Domain}.auth.${AWS::Region}.amazoncognito.com/oauth2/token
`

// cfnFailingTemplate fails at its client (a scope no resource server
// defines), after the pool and resource server were created.
const cfnFailingTemplate = `Resources:
  Pool:
    Type: AWS::Cognito::UserPool
  Server:
    Type: AWS::Cognito::UserPoolResourceServer
    Properties: {UserPoolId: !Ref Pool, Identifier: api, Name: API, Scopes: [{ScopeName: read, ScopeDescription: Read}]}
  Client:
    Type: AWS::Cognito::UserPoolClient
    Properties:
      UserPoolId: !Ref Pool
      GenerateSecret: true
      AllowedOAuthFlows: [client_credentials]
      AllowedOAuthScopes: [api/write]
      AllowedOAuthFlowsUserPoolClient: true
`
