package authorizer

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
)

// futureLeeway is how far in the future nbf and iat may be: the clock of a
// remote pool may run a little ahead of ours. exp gets no leeway
// (aws-jwt-verify's default grace is 0, COGNITO.md §6.1).
//
// [guess] API Gateway's REST authorizer is not documented to check nbf or
// iat; its HTTP API authorizer requires both before now [doc]. Cognate
// refuses a token issued more than this far in the future: Cognito never
// issues one.
const futureLeeway = time.Minute

// Verify checks the token in header (an Authorization header value) for an
// authorizer configured as cfg. It returns a *Denial for a token that must
// be answered 401, and another error when the authorizer cannot decide (a
// misconfigured authorizer, an unreadable store or remote JWKS), which the
// caller answers 500 AUTHORIZER_CONFIGURATION_ERROR.
//
// The checks run in this order: a token is present and is a JWT with alg
// RS256 and a kid; aud matches the validation expression (when set, "no
// match → 401 without further checks" [doc]); iss is an issuer of one of
// cfg's pools; that pool publishes kid, and the signature verifies; exp
// has not passed; nbf and iat are not in the future; token_use and scopes
// suit cfg; a local pool still has the token's app client. A token seen
// before skips only the signature.
func (v *Verifier) Verify(ctx context.Context, cfg Config, header string) (Result, error) {
	raw, d := extractToken(header)
	if d != nil {
		return Result{}, d
	}
	e, hit := v.cache.get(raw)
	p := (*parsed)(nil)
	var memo *Memo
	if hit {
		memo = &e.memo
		p = e.parsed
	} else if p, d = parse(raw); d != nil {
		return Result{}, d
	}
	if err := v.checkExpression(cfg.ValidationExpression, p); err != nil {
		return Result{}, err
	}
	pl, ok, err := poolOf(cfg.ProviderARNs, p.iss)
	if err != nil {
		return Result{}, err
	}
	if !ok {
		return Result{}, deny(ReasonIssuer, "iss %.100q is not a pool of this authorizer", p.iss)
	}

	var (
		issuers []string
		key     *rsa.PublicKey
		active  bool
	)
	if v.keys != nil {
		if issuers, key, active, err = v.keys.LocalPool(ctx, pl.id, p.kid, p.clientID); err != nil {
			return Result{}, fmt.Errorf("authorizer: keys of local pool %s: %w", pl.id, err)
		}
	}
	local := issuers != nil
	if local && !slices.Contains(issuers, p.iss) || !local && p.iss != pl.awsIssuer() {
		return Result{}, deny(ReasonIssuer, "iss %.100q is not an issuer of pool %s", p.iss, pl.id)
	}
	if local && key == nil {
		return Result{}, deny(ReasonUnknownKID, "pool %s publishes no key %.64q", pl.id, p.kid)
	}
	if hit && (e.local != local || e.pool != pl) {
		// The pool moved between local and remote since the token was
		// checked: check it again against the keys it now has.
		v.cache.remove(raw)
		if p, d = parse(raw); d != nil {
			return Result{}, d
		}
		hit = false
	}
	if !hit {
		if !local {
			if key, err = v.remote.key(ctx, pl, p.kid); err != nil {
				return Result{}, err
			}
		}
		digest := sha256.Sum256([]byte(p.signed))
		if err := rsa.VerifyPKCS1v15(key, crypto.SHA256, digest[:], p.signature); err != nil {
			return Result{}, deny(ReasonBadSignature, "signature does not verify with key %.64q of pool %s", p.kid, pl.id)
		}
		kept := *p
		kept.signed, kept.signature = "", nil
		ve := &verified{parsed: &kept, pool: pl, local: local}
		memo = &ve.memo
		v.cache.put(raw, ve)
	}
	if err := v.checkTimes(p); err != nil {
		return Result{}, err
	}
	if err := checkUse(cfg.Scopes, p); err != nil {
		return Result{}, err
	}
	if local && !active {
		return Result{}, deny(ReasonDeletedClient, "pool %s has no app client %.64q", pl.id, p.clientID)
	}
	return Result{Claims: p.claims, ClientID: p.clientID, Subject: p.subject, JTI: p.jti, TokenUse: p.tokenUse, Memo: memo}, nil
}

// checkTimes checks exp, nbf and iat against the clock.
func (v *Verifier) checkTimes(p *parsed) *Denial {
	now := v.now()
	if !now.Before(epoch(p.exp)) {
		return &Denial{Reason: ReasonExpired, Message: MessageExpired,
			Detail: "expired at " + epoch(p.exp).UTC().Format(time.RFC3339)}
	}
	limit := now.Add(futureLeeway)
	if p.nbf != 0 && epoch(p.nbf).After(limit) {
		return deny(ReasonNotYetValid, "nbf %s is in the future", epoch(p.nbf).UTC().Format(time.RFC3339))
	}
	if p.iat != 0 && epoch(p.iat).After(limit) {
		return deny(ReasonNotYetValid, "iat %s is in the future", epoch(p.iat).UTC().Format(time.RFC3339))
	}
	return nil
}

// checkUse applies the decision table of APIGATEWAY.md §1.2: without
// scopes only ID tokens pass; with scopes only access tokens whose
// space-separated scope claim holds at least one of them.
func checkUse(scopes []string, p *parsed) *Denial {
	if len(scopes) == 0 {
		if p.tokenUse != "id" {
			return deny(ReasonTokenUse, "token_use %.20q: a method without scopes takes ID tokens", p.tokenUse)
		}
		return nil
	}
	if p.tokenUse != "access" {
		return deny(ReasonTokenUse, "token_use %.20q: a method with scopes takes access tokens", p.tokenUse)
	}
	for sc := range strings.FieldsSeq(p.scope) { // no slice per request
		if slices.Contains(scopes, sc) {
			return nil
		}
	}
	return deny(ReasonScope, "the token has none of the scopes %v", scopes)
}

// checkExpression matches identityValidationExpression against aud.
//
// [guess] The whole value must match, as Java's Matcher.matches does. An
// access token has no aud [doc]; Cognate matches client_id instead, the
// claim that plays aud's part there.
func (v *Verifier) checkExpression(expr string, p *parsed) error {
	if expr == "" {
		return nil
	}
	re, err := v.exprs.compile(expr)
	if err != nil {
		return err
	}
	subject := p.aud
	if subject == "" {
		subject = p.clientID
	}
	if !re.MatchString(subject) {
		return deny(ReasonValidationExpression, "aud %.64q does not match %q", subject, expr)
	}
	return nil
}

// exprCache keeps compiled validation expressions; they come from
// deployed APIs, so there are few.
type exprCache struct{ m sync.Map } // string -> *regexp.Regexp

func (c *exprCache) compile(expr string) (*regexp.Regexp, error) {
	if re, ok := c.m.Load(expr); ok {
		return re.(*regexp.Regexp), nil
	}
	re, err := regexp.Compile(`^(?:` + expr + `)$`)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("authorizer: identityValidationExpression %q does not compile", expr), err)
	}
	c.m.Store(expr, re)
	return re, nil
}

// epoch converts seconds since the epoch (bounded by maxEpoch) to a time.
func epoch(sec float64) time.Time {
	whole, frac := math.Modf(sec)
	return time.Unix(int64(whole), int64(frac*1e9))
}
