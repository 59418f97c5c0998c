package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// fetchTokenAt gets a client-credentials token from the token endpoint at
// tokenURL (a hosted domain's /oauth2/token, Cognate's or AWS's), sending
// the client's id and secret in the Authorization header as Cognito
// expects. Its errors name the OAuth error and what usually causes it, and
// never contain the secret. `cognate token` and `cognate call` share it.
func fetchTokenAt(ctx context.Context, tokenURL, clientID, secret string, scopes []string) (*oauth2.Token, error) {
	cc := clientcredentials.Config{
		ClientID: clientID, ClientSecret: secret, TokenURL: tokenURL,
		Scopes: scopes, AuthStyle: oauth2.AuthStyleInHeader,
	}
	ctx = context.WithValue(ctx, oauth2.HTTPClient, &http.Client{Timeout: 30 * time.Second, Transport: localhostTransport()})
	tok, err := cc.Token(ctx)
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) {
			desc := ""
			if re.ErrorDescription != "" {
				desc = " (" + re.ErrorDescription + ")"
			}
			return nil, fmt.Errorf("token endpoint %s answered %d %s%s%s", tokenURL, re.Response.StatusCode, re.ErrorCode, desc, tokenErrorHint(re.ErrorCode))
		}
		return nil, fmt.Errorf("get token from %s: %w (is `cognate up` running?)", tokenURL, err)
	}
	return tok, nil
}

// localhostTransport is an HTTP transport that connects names under
// .localhost (such as {apiId}.execute-api.localhost or
// {domain}.auth.us-east-1.localhost) to 127.0.0.1 itself, as curl and
// browsers do, since the system resolver often does not. The Host header
// keeps the name, which is what Cognate routes on.
func localhostTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	d := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
	t.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		if host, port, err := net.SplitHostPort(addr); err == nil && isLocalhostName(host) {
			addr = net.JoinHostPort("127.0.0.1", port)
		}
		return d.DialContext(ctx, network, addr)
	}
	return t
}

// isLocalhostName reports whether host is localhost or a name under it
// (RFC 6761 reserves them all for the loopback address).
func isLocalhostName(host string) bool {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	return h == "localhost" || strings.HasSuffix(h, ".localhost")
}
