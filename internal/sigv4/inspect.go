package sigv4

import (
	"net/http"
	"net/url"
	"strings"
	"time"
)

// signedRequest is what inspect learned about a request: everything needed to
// recompute its signature.
type signedRequest struct {
	fields    authFields
	auth      Authorization
	signed    []string // signed header names, lower case, in the client's order
	presigned bool
	query     url.Values // presigned form only

	amzDate    string // the date as sent, ISO 8601 basic format
	dateSource string // header form: "X-Amz-Date" or "Date"
	dateMulti  bool   // header form: the date header was repeated
	t          time.Time
	expires    time.Duration // presigned form, when hasExpires
	hasExpires bool
	token      string // X-Amz-Security-Token; never leaves the package

	lowerHeaders map[string][]string // built by headerValues on first miss
}

const (
	hdrAuthorization = "Authorization"
	hdrDate          = "X-Amz-Date"
	hdrHTTPDate      = "Date"
	hdrSecurityToken = "X-Amz-Security-Token"
	hdrContentSHA256 = "X-Amz-Content-Sha256"
)

// inspect runs every check that needs no secret.
func (v *Verifier) inspect(r *http.Request, want Scope) (*signedRequest, error) {
	authz := r.Header.Get(hdrAuthorization)
	hasHeader := strings.Trim(authz, " \t") != ""
	if hasHeader && hasAlgorithmParam(r.URL.RawQuery) {
		return nil, newError(KindSignatureDoesNotMatch, msgBothForms)
	}

	s := &signedRequest{}
	var dates []string
	var missing []string
	switch {
	case hasHeader:
		f, err := splitAuthorization(authz)
		if err != nil {
			return nil, err
		}
		s.fields = f
		missing = f.missing()
		s.dateSource = hdrDate
		if dates = r.Header.Values(hdrDate); len(dates) == 0 {
			s.dateSource = hdrHTTPDate
			dates = r.Header.Values(hdrHTTPDate)
		}
		if len(dates) == 0 {
			// [obs-common]
			missing = append(missing, "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
		}
		s.dateMulti = len(dates) > 1
		s.token = r.Header.Get(hdrSecurityToken)
	case isPresigned(r.URL.RawQuery):
		s.presigned = true
		s.query = r.URL.Query()
		s.fields = presignedFields(s.query)
		missing = s.fields.missing()
		if dates = s.query[qDate]; len(dates) == 0 || dates[0] == "" {
			missing = append(missing, "AWS query-string parameters must include 'X-Amz-Date'.")
		}
		if s.token = s.query.Get(qSecurityToken); s.token == "" {
			s.token = r.Header.Get(hdrSecurityToken)
		}
	default:
		return nil, newError(KindMissingAuthenticationToken, msgMissingToken)
	}
	if len(missing) > 0 {
		return nil, s.fields.incomplete(missing)
	}

	s.amzDate = strings.TrimSpace(dates[0])
	t, err := time.Parse(amzTimeFormat, s.amzDate)
	if err != nil || t.Format(amzTimeFormat) != s.amzDate {
		// [obs-common] AWS requires the ISO 8601 basic format in Date too.
		return nil, newError(KindIncompleteSignature,
			"Date must be in ISO-8601 'basic format'. Got '"+echo(s.amzDate)+"'. See http://en.wikipedia.org/wiki/ISO_8601")
	}
	s.t = t
	if s.presigned {
		var perr *Error
		if s.expires, s.hasExpires, perr = parseExpires(s.query); perr != nil {
			return nil, perr
		}
	}
	if err := v.checkTime(s); err != nil {
		return nil, err
	}

	if s.fields.signedHeaders != "" {
		for _, h := range strings.Split(s.fields.signedHeaders, ";") {
			s.signed = append(s.signed, strings.ToLower(h))
		}
	}
	if !hostSigned(s.signed) {
		return nil, newError(KindSignatureDoesNotMatch, msgHostNotSigned)
	}

	a, aerr := s.fields.authorization()
	if aerr != nil {
		return nil, aerr
	}
	s.auth = a
	if err := checkScope(s, want); err != nil {
		return nil, err
	}
	return s, nil
}

// checkTime rejects a signing time outside the skew window, and a presigned
// request past its X-Amz-Expires. When a presigned request has no
// X-Amz-Expires the skew window applies [guess].
func (v *Verifier) checkTime(s *signedRequest) *Error {
	now := v.now().UTC()
	if s.t.After(now.Add(v.skew)) {
		return errNotYetCurrent(s.t, now, v.skew)
	}
	window := v.skew
	if s.presigned && s.hasExpires {
		window = s.expires
	}
	if s.t.Before(now.Add(-window)) {
		return errExpired(s.t, now, window)
	}
	return nil
}

func hostSigned(signed []string) bool {
	for _, h := range signed {
		if h == "host" || h == ":authority" {
			return true
		}
	}
	return false
}

// checkScope compares the credential scope with the request date and with
// want. AWS reports every scope problem in one message, in this order
// [obs-common, as recorded by scratchstack-aws-signature and dynalite].
func checkScope(s *signedRequest, want Scope) *Error {
	var msgs []string
	if want.Region != "" && s.auth.Region != want.Region {
		msgs = append(msgs, "Credential should be scoped to a valid region, not '"+echo(s.auth.Region)+"'.")
	}
	if want.Service != "" && s.auth.Service != want.Service {
		msgs = append(msgs, "Credential should be scoped to correct service: '"+want.Service+"'.")
	}
	if m := terminatorMessage(s.auth.Credential); m != "" {
		msgs = append(msgs, m)
	}
	if day := s.t.Format("20060102"); s.auth.Date != day {
		msgs = append(msgs, "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '"+
			echo(s.auth.Date)+"' != '"+day+"', from '"+s.amzDate+"'.")
	}
	if len(msgs) > 0 {
		return newError(KindSignatureDoesNotMatch, strings.Join(msgs, " "))
	}
	return nil
}
