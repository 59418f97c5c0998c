package sigv4

import (
	"net/http"
	"net/textproto"
	"strconv"
	"strings"
)

// requestHost is the Host the client sent; the server keeps it out of Header.
func requestHost(r *http.Request) string {
	if r.Host != "" {
		return r.Host
	}
	if r.URL != nil {
		return r.URL.Host
	}
	return ""
}

// headerValues returns the values of header name (any case). A signed header
// that is absent is signed as an empty value. Names net/http did not
// canonicalize are found through an index built once per request, so a long
// SignedHeaders list costs linear time.
func (s *signedRequest) headerValues(r *http.Request, name string) []string {
	if v, ok := r.Header[textproto.CanonicalMIMEHeaderKey(name)]; ok {
		return v
	}
	if s.lowerHeaders == nil {
		s.lowerHeaders = make(map[string][]string, len(r.Header))
		for k, v := range r.Header {
			lk := strings.ToLower(k)
			s.lowerHeaders[lk] = append(s.lowerHeaders[lk], v...)
		}
	}
	if v, ok := s.lowerHeaders[name]; ok {
		return v
	}
	return []string{""}
}

// contentLength returns the request's Content-Length as the client sent it,
// and whether it is a plain decimal number.
func contentLength(r *http.Request) (int64, bool) {
	v := r.Header.Values("Content-Length")
	if len(v) == 0 {
		if r.ContentLength > 0 {
			return r.ContentLength, true
		}
		return 0, false
	}
	if len(v) != 1 {
		return 0, false
	}
	n, err := strconv.ParseInt(v[0], 10, 64)
	if err != nil || n < 0 || strconv.FormatInt(n, 10) != v[0] {
		return 0, false
	}
	return n, true
}

// candidatePaths returns the request path as sent (escaped form) and, for
// services other than S3, its normalized form when that differs.
func candidatePaths(r *http.Request, service string) []string {
	p := r.URL.EscapedPath()
	if p == "" {
		p = "/"
	}
	if isS3(service) {
		return []string{p}
	}
	if n := normalizePath(p); n != p {
		return []string{p, n}
	}
	return []string{p}
}

// isS3 reports whether service signs its path without the second escaping
// and without normalization [doc].
func isS3(service string) bool {
	return service == "s3" || service == "s3-object-lambda" || service == "s3express"
}

// normalizePath removes "." and ".." segments (RFC 3986 section 5.2.4) and
// empty segments, keeping a leading and trailing slash; this is botocore's
// remove_dot_segments, which AWS's own normalization matches.
func normalizePath(p string) string {
	var out []string
	for _, seg := range strings.Split(p, "/") {
		switch seg {
		case "", ".":
		case "..":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		default:
			out = append(out, seg)
		}
	}
	var b strings.Builder
	if strings.HasPrefix(p, "/") {
		b.WriteByte('/')
	}
	b.WriteString(strings.Join(out, "/"))
	if strings.HasSuffix(p, "/") && len(out) > 0 {
		b.WriteByte('/')
	}
	return b.String()
}

// escapePath percent-encodes every byte except the RFC 3986 unreserved
// characters and '/', like smithy-go's httpbinding.EscapePath(path, false),
// which the SDK signer applies to the already-escaped path (so "%" becomes
// "%25": non-S3 services sign the path escaped twice) [doc].
func escapePath(p string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(p))
	for i := 0; i < len(p); i++ {
		c := p[i]
		if isUnreserved(c) || c == '/' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
}

func isUnreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

// escapeQuery encodes a query name or value for the canonical query string:
// everything but the unreserved characters, upper-case hex, space as %20.
func escapeQuery(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isUnreserved(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
}

// trimAll trims a header value and collapses runs of spaces, as the SDK
// signer does (strings.TrimSpace of v4.StripExcessSpaces).
func trimAll(v string) string {
	v = strings.TrimSpace(v)
	if !strings.Contains(v, "  ") {
		return v
	}
	var b strings.Builder
	b.Grow(len(v))
	space := false
	for i := 0; i < len(v); i++ {
		if v[i] == ' ' {
			if space {
				continue
			}
			space = true
		} else {
			space = false
		}
		b.WriteByte(v[i])
	}
	return b.String()
}
