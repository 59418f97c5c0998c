package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
)

// callOptions are the flags of `cognate call`.
type callOptions struct {
	endpoint, domain, tokenEndpoint string
	clientID, clientSecret          string
	scopes, headers                 []string
	data                            string
	include, fail, noCache          bool
	timeout                         time.Duration
}

func callCommand() *cobra.Command {
	var o callOptions
	cmd := &cobra.Command{
		Use:   "call METHOD URL (--domain D | --token-endpoint URL) --client-id I [--scope S ...] [-d BODY] [-H 'Name: value' ...]",
		Short: "Call an API with a client-credentials token, fetched and cached for you",
		Long: `Call an API as a machine-to-machine client would: get a client-credentials
access token from the pool's hosted domain (--domain, on the server at
--endpoint) or from any token endpoint (--token-endpoint, e.g. real
Cognito's https://D.auth.REGION.amazoncognito.com/oauth2/token), send the
request with "Authorization: Bearer <token>", and print the status line and
the body (and the response headers with -i).

The token is cached until 60 s before it expires, in a file only you may
read under your config dir (` + "`~/.config/cognate/tokens`" + ` on Linux; the file holds
the token and its expiry, never the secret), per token endpoint, client and
scope set. A cached token that the API answers 401 to is fetched again and
the request sent once more. --no-cache always fetches a new token.

The client secret may come from ` + envClientSecret + ` instead of
--client-secret, so it stays out of shell history. -d sends a body (-d @FILE
reads a file, -d @- standard input) with Content-Type application/json
unless -H gives another. Names under .localhost, such as
{apiId}.execute-api.localhost, are connected to 127.0.0.1.

Exit status: 0 when a response arrived, whatever its status, as curl does;
with --fail, 1 when the status is 400 or above (the response is still
printed). 1 when no response arrived (no server, timeout) or no token could
be had.`,
		Example: `  COGNATE_CLIENT_SECRET=$SECRET cognate call POST \
    http://$API_ID.execute-api.localhost:4566/dev/echo \
    --domain andmoredev --client-id $CLIENT --scope echo-api/echo -d '{"a":1}'`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 2 {
				return fmt.Errorf("want METHOD and URL, e.g. `cognate call GET http://API.execute-api.localhost:4566/dev/items`, got %d arguments", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.clientSecret == "" {
				o.clientSecret = os.Getenv(envClientSecret)
			}
			req, err := o.request(args[0], args[1], cmd.InOrStdin())
			if err != nil {
				return err
			}
			src, err := o.tokenSource()
			if err != nil {
				return err
			}
			ctx, cancel := context.WithTimeout(cmd.Context(), o.timeout+30*time.Second)
			defer cancel()
			return runCall(ctx, cmd.OutOrStdout(), cmd.ErrOrStderr(), src, req, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.endpoint, "endpoint", defaultEndpoint, "URL of the Cognate server whose --domain issues the token")
	f.StringVar(&o.domain, "domain", "", "the user pool's domain prefix (e.g. andmoredev)")
	f.StringVar(&o.tokenEndpoint, "token-endpoint", "", "the token endpoint's full URL, instead of --domain")
	f.StringVar(&o.clientID, "client-id", "", "app client id")
	f.StringVar(&o.clientSecret, "client-secret", "", "app client secret (or set "+envClientSecret+")")
	f.StringSliceVar(&o.scopes, "scope", nil, "scope to request, e.g. echo-api/echo (repeat or comma-separate; default: all of the client's scopes)")
	f.StringVarP(&o.data, "data", "d", "", "request body; @FILE reads it from a file, @- from standard input")
	f.StringArrayVarP(&o.headers, "header", "H", nil, "request header 'Name: value' (repeatable)")
	f.BoolVarP(&o.include, "include", "i", false, "print the response headers too")
	f.BoolVar(&o.fail, "fail", false, "exit 1 when the response status is 400 or above")
	f.BoolVar(&o.noCache, "no-cache", false, "fetch a new token and neither read nor write the cache")
	f.DurationVar(&o.timeout, "max-time", 60*time.Second, "how long the API request may take")
	return cmd
}

// callRequest is the request `cognate call` sends, less its token.
type callRequest struct {
	method, url string
	body        []byte
	hasBody     bool
	header      http.Header
	host        string
}

// request checks METHOD, URL, -d and -H and builds the request.
func (o *callOptions) request(method, rawURL string, stdin io.Reader) (*callRequest, error) {
	r := &callRequest{method: strings.ToUpper(method), url: rawURL, header: http.Header{}}
	if r.method == "" || strings.ContainsAny(r.method, " \t/:") {
		return nil, fmt.Errorf("METHOD %q: want an HTTP method such as GET or POST", method)
	}
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("URL %q: want an absolute http:// or https:// URL (arguments are METHOD then URL)", rawURL)
	}
	for _, h := range o.headers {
		name, value, ok := strings.Cut(h, ":")
		name = strings.TrimSpace(name)
		if !ok || name == "" || strings.ContainsAny(name, " \t") {
			return nil, fmt.Errorf("-H %q: want 'Name: value'", h)
		}
		switch strings.ToLower(name) {
		case "authorization":
			return nil, fmt.Errorf("-H %q: cognate call sends Authorization itself, with the client's token; use curl to send another", name)
		case "host":
			r.host = strings.TrimSpace(value)
			continue
		}
		r.header.Add(name, strings.TrimSpace(value))
	}
	if o.data != "" {
		r.hasBody = true
		switch {
		case o.data == "@-":
			r.body, err = io.ReadAll(stdin)
		case strings.HasPrefix(o.data, "@"):
			r.body, err = os.ReadFile(o.data[1:])
		default:
			r.body = []byte(o.data)
		}
		if err != nil {
			return nil, fmt.Errorf("-d %s: %w", o.data, err)
		}
		if r.header.Get("Content-Type") == "" {
			r.header.Set("Content-Type", "application/json")
		}
	}
	r.header.Set("User-Agent", "cognate/"+version)
	return r, nil
}

// callTokenSource gets the client's token, from the cache when it holds
// a good one.
type callTokenSource struct {
	tokenURL, clientID, secret string
	scopes                     []string
	cache                      *tokenCache // nil with --no-cache
}

// tokenSource checks the token flags and locates the cache.
func (o *callOptions) tokenSource() (*callTokenSource, error) {
	var problems []string
	switch {
	case o.domain != "" && o.tokenEndpoint != "":
		problems = append(problems, "give --domain or --token-endpoint, not both")
	case o.domain == "" && o.tokenEndpoint == "":
		problems = append(problems, "missing --domain (or --token-endpoint)")
	}
	if o.clientID == "" {
		problems = append(problems, "missing --client-id")
	}
	if o.clientSecret == "" {
		problems = append(problems, "missing --client-secret (or "+envClientSecret+")")
	}
	endpointURL := o.tokenEndpoint
	if o.domain != "" {
		endpointURL = tokenURL(o.endpoint, o.domain)
	} else if u, err := url.Parse(endpointURL); endpointURL != "" && (err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "") {
		problems = append(problems, fmt.Sprintf("--token-endpoint %q: want an http:// or https:// URL ending in /oauth2/token", endpointURL))
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(problems, "; "))
	}
	s := &callTokenSource{tokenURL: endpointURL, clientID: o.clientID, secret: o.clientSecret, scopes: o.scopes}
	if !o.noCache {
		dir, err := defaultTokenCacheDir()
		if err != nil {
			return nil, err
		}
		s.cache = &tokenCache{dir: dir, now: time.Now}
	}
	return s, nil
}

// token returns an access token and whether it came from the cache. With
// fresh, the cache is not read. A token that cannot be cached is still
// returned; the reason goes to warn.
func (s *callTokenSource) token(ctx context.Context, fresh bool, warn io.Writer) (string, bool, error) {
	key := tokenCacheKey(s.tokenURL, s.clientID, s.scopes)
	if s.cache != nil && !fresh {
		if tok := s.cache.get(key); tok != "" {
			return tok, true, nil
		}
	}
	tok, err := fetchTokenAt(ctx, s.tokenURL, s.clientID, s.secret, s.scopes)
	if err != nil {
		return "", false, err
	}
	if s.cache != nil && !tok.Expiry.IsZero() {
		if err := s.cache.put(key, tok.AccessToken, tok.Expiry); err != nil {
			fmt.Fprintln(warn, "cognate call: warning: token not cached:", err)
		}
	}
	return tok.AccessToken, false, nil
}

// runCall gets a token, sends the request, retries once with a new token
// when a cached one gets 401, and prints the response.
func runCall(ctx context.Context, out, warn io.Writer, src *callTokenSource, r *callRequest, o callOptions) error {
	tok, cached, err := src.token(ctx, o.noCache, warn)
	if err != nil {
		return err
	}
	client := &http.Client{Timeout: o.timeout, Transport: localhostTransport()}
	resp, err := r.send(ctx, client, tok)
	if err != nil {
		return err
	}
	if resp.StatusCode == http.StatusUnauthorized && cached {
		// The cached token may have been revoked, its client deleted,
		// or the server reset: get a new one, once.
		io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
		resp.Body.Close()
		if src.cache != nil {
			if err := src.cache.drop(tokenCacheKey(src.tokenURL, src.clientID, src.scopes)); err != nil {
				fmt.Fprintln(warn, "cognate call: warning:", err)
			}
		}
		if tok, _, err = src.token(ctx, true, warn); err != nil {
			return err
		}
		if resp, err = r.send(ctx, client, tok); err != nil {
			return err
		}
	}
	defer resp.Body.Close()
	return printResponse(out, resp, r, o)
}

// send makes the request with the token.
func (r *callRequest) send(ctx context.Context, client *http.Client, token string) (*http.Response, error) {
	var body io.Reader
	if r.hasBody {
		body = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, r.url, body)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", r.method, r.url, err)
	}
	req.Header = r.header.Clone()
	req.Header.Set("Authorization", "Bearer "+token)
	if r.host != "" {
		req.Host = r.host
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: no response: %w", r.method, r.url, err)
	}
	return resp, nil
}

// printResponse prints the status line, the headers with -i, and the
// body; with --fail, a status of 400 or above is then an error.
func printResponse(out io.Writer, resp *http.Response, r *callRequest, o callOptions) error {
	fmt.Fprintf(out, "%s %s\n", resp.Proto, resp.Status)
	if o.include {
		resp.Header.Write(out)
		fmt.Fprintln(out)
	}
	// Stream the body, remembering its last byte to end the output
	// with a newline.
	lw := &lastByteWriter{w: out}
	if _, err := io.Copy(lw, resp.Body); err != nil {
		return fmt.Errorf("%s %s: reading the response body: %w", r.method, r.url, err)
	}
	if lw.n > 0 && lw.last != '\n' {
		fmt.Fprintln(out)
	}
	if o.fail && resp.StatusCode >= 400 {
		return fmt.Errorf("%s %s answered %s (--fail)", r.method, r.url, resp.Status)
	}
	return nil
}

// lastByteWriter passes writes through and remembers the last byte.
type lastByteWriter struct {
	w    io.Writer
	n    int64
	last byte
}

func (l *lastByteWriter) Write(p []byte) (int, error) {
	n, err := l.w.Write(p)
	if n > 0 {
		l.n += int64(n)
		l.last = p[n-1]
	}
	return n, err
}
