package authorizer

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"math"
	"strings"

	"github.com/cognatehq/cognate/internal/token"
)

// maxHeaderLen bounds the header value looked at. API Gateway refuses
// requests whose headers pass 10,240 bytes in all [doc: REST API quotas],
// so no token it could pass is longer; anything past this is refused
// before a byte of it is decoded.
const maxHeaderLen = 16 << 10

// extractToken returns the JWT of an Authorization header value: trimmed,
// with a leading case-insensitive "Bearer" and the spaces after it
// removed.
//
// [guess] API Gateway takes the raw JWT [obs] and `Bearer <jwt>` [obs/doc];
// APIGATEWAY.md §9.3 leaves the case and the spacing open. Cognate accepts
// any case and any run of spaces or tabs after "Bearer", and ignores
// spaces around the value (HTTP strips them anyway).
func extractToken(header string) (string, *Denial) {
	if len(header) > maxHeaderLen {
		return "", deny(ReasonMalformed, "header of %d bytes is longer than %d", len(header), maxHeaderLen)
	}
	h := strings.Trim(header, " \t")
	if h == "" {
		return "", deny(ReasonNoToken, "no token in the header")
	}
	if len(h) > 6 && strings.EqualFold(h[:6], "bearer") && (h[6] == ' ' || h[6] == '\t') {
		h = strings.TrimLeft(h[6:], " \t")
	}
	return h, nil
}

// parsed is a decoded JWT whose claims have the types Cognito gives them.
// Nothing in it has been verified.
type parsed struct {
	kid      string
	claims   map[string]any // numbers are json.Number
	iss      string
	tokenUse string
	// clientID is the client_id claim, or for an ID token aud.
	clientID string
	// aud is the aud claim, "" when absent.
	aud          string
	subject, jti string
	scope        string
	exp          float64 // seconds since the epoch
	nbf, iat     float64 // seconds since the epoch; 0 when absent

	signed    string // header.payload, what the signature covers
	signature []byte
}

// maxEpoch bounds times in claims (year 33658) so they convert to
// time.Time without overflow.
const maxEpoch = 1e12

// parse decodes a compact JWS and checks its shape: three base64url
// segments, a header with alg RS256 and a kid, a JSON object payload with
// iss, exp and token_use, and the claims Cognito writes of the types it
// writes them (as aws-jwt-verify checks them, COGNITO.md §6.1).
func parse(raw string) (*parsed, *Denial) {
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.') {
			return nil, deny(ReasonMalformed, "not a JWT: byte %d is %q", i, c)
		}
	}
	h, rest, ok1 := strings.Cut(raw, ".")
	pl, sig, ok2 := strings.Cut(rest, ".")
	if !ok1 || !ok2 || strings.Contains(sig, ".") {
		return nil, deny(ReasonMalformed, "not a JWT: want three dot-separated parts")
	}
	enc := base64.RawURLEncoding.Strict()
	hb, err := enc.DecodeString(h)
	if err != nil {
		return nil, deny(ReasonMalformed, "header is not base64url")
	}
	var hdr struct {
		Alg  *string `json:"alg"`
		Kid  *string `json:"kid"`
		Crit []any   `json:"crit"`
		B64  *bool   `json:"b64"`
	}
	if err := json.Unmarshal(hb, &hdr); err != nil {
		return nil, deny(ReasonMalformed, "header is not a JSON object of the right types")
	}
	if hdr.Alg == nil || *hdr.Alg != token.AlgRS256 {
		alg := "none given"
		if hdr.Alg != nil {
			alg = *hdr.Alg
		}
		return nil, deny(ReasonBadSignature, "alg %.20q is not RS256", alg)
	}
	if hdr.Crit != nil || hdr.B64 != nil {
		return nil, deny(ReasonMalformed, "header has crit or b64, which Cognito never sets")
	}
	if hdr.Kid == nil || *hdr.Kid == "" {
		return nil, deny(ReasonUnknownKID, "header has no kid")
	}
	p := &parsed{kid: *hdr.Kid, signed: raw[:len(h)+1+len(pl)]}
	if p.signature, err = enc.DecodeString(sig); err != nil || len(p.signature) == 0 {
		return nil, deny(ReasonMalformed, "signature is not base64url")
	}
	pb, err := enc.DecodeString(pl)
	if err != nil {
		return nil, deny(ReasonMalformed, "payload is not base64url")
	}
	if d := p.readClaims(pb); d != nil {
		return nil, d
	}
	return p, nil
}

// readClaims decodes the payload and picks out the claims the checks use.
func (p *parsed) readClaims(pb []byte) *Denial {
	dec := json.NewDecoder(bytes.NewReader(pb))
	dec.UseNumber()
	if err := dec.Decode(&p.claims); err != nil || p.claims == nil || dec.More() {
		return deny(ReasonMalformed, "payload is not a JSON object")
	}
	var d *Denial
	str := func(name string, required bool) string {
		v, ok := p.claims[name]
		if !ok {
			if required && d == nil {
				d = deny(ReasonMalformed, "claim %s is missing", name)
			}
			return ""
		}
		s, ok := v.(string)
		if !ok && d == nil {
			d = deny(ReasonMalformed, "claim %s is not a string", name)
		}
		return s
	}
	num := func(name string, required bool) float64 {
		v, ok := p.claims[name]
		if !ok {
			if required && d == nil {
				d = deny(ReasonMalformed, "claim %s is missing", name)
			}
			return 0
		}
		n, ok := v.(json.Number)
		f, err := n.Float64()
		if (!ok || err != nil || math.IsNaN(f) || math.Abs(f) > maxEpoch) && d == nil {
			d = deny(ReasonMalformed, "claim %s is not a time", name)
		}
		return f
	}
	p.iss = str("iss", true)
	p.tokenUse = str("token_use", true)
	p.subject = str("sub", false)
	p.jti = str("jti", false)
	p.scope = str("scope", false)
	p.exp = num("exp", true)
	p.nbf = num("nbf", false)
	p.iat = num("iat", false)
	if d != nil {
		return d
	}
	if p.aud, d = audience(p.claims["aud"]); d != nil {
		return d
	}
	if p.tokenUse == "id" {
		p.clientID = p.aud
	} else {
		p.clientID = str("client_id", false)
	}
	return d
}

// audience reads aud: a string, or an array of exactly one string
// (aws-jwt-verify accepts arrays; Cognito writes a string).
func audience(v any) (string, *Denial) {
	switch a := v.(type) {
	case nil:
		return "", nil
	case string:
		return a, nil
	case []any:
		if len(a) == 1 {
			if s, ok := a[0].(string); ok {
				return s, nil
			}
		}
	}
	return "", deny(ReasonMalformed, "claim aud is not a string")
}
