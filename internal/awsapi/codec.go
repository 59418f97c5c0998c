package awsapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The AWS JSON 1.1 codec: what a request must look like before any
// operation sees it, and how answers are written.

// MaxBodyBytes caps a request body. The largest Cognito management request
// (a pool with 50 schema attributes and long message templates) is well
// under 100 KiB; 1 MiB leaves room without letting one request pin much
// memory.
const MaxBodyBytes = 1 << 20

const (
	contentTypeJSON11 = "application/x-amz-json-1.1"
	cognitoTarget     = "AWSCognitoIdentityProviderService"
)

// acceptedContentTypes are the media types Cognate reads as JSON. SDKs send
// application/x-amz-json-1.1; application/json is accepted for hand-written
// requests, and 1.0 because the two protocols share a body format.
var acceptedContentTypes = map[string]bool{
	"application/x-amz-json-1.1": true,
	"application/x-amz-json-1.0": true,
	"application/json":           true,
}

// parseTarget returns the operation named by an X-Amz-Target header of the
// form "AWSCognitoIdentityProviderService.<Operation>". The caller checks
// whether the operation exists.
func parseTarget(target string) (string, *apiError) {
	return parseServiceTarget(target, cognitoTarget)
}

// parseServiceTarget returns the operation named by an X-Amz-Target header
// of the form "<service>.<Operation>", for the service prefix given
// ("AmazonSSM"). The caller checks whether the operation exists.
//
// [guess] Coral answers a missing or foreign target with a 400
// UnknownOperationException and no message; Cognate adds a message that
// says what it expected.
func parseServiceTarget(target, service string) (string, *apiError) {
	if target == "" {
		return "", clientError(typeUnknownOperation,
			"Missing X-Amz-Target header; expected "+service+".<Operation>")
	}
	svc, op, ok := strings.Cut(target, ".")
	if !ok || svc != service || op == "" {
		return "", clientError(typeUnknownOperation,
			fmt.Sprintf("Unknown X-Amz-Target %q; expected %s.<Operation>", clip(target), service))
	}
	return op, nil
}

// checkContentType accepts the JSON media types, with any parameters
// (charset). [guess] Real AWS's answer to another content type is not
// recorded; Cognate says SerializationException, since it cannot read the
// body as the protocol requires.
func checkContentType(ct string) *apiError {
	mt, _, err := mime.ParseMediaType(ct)
	if err == nil && acceptedContentTypes[strings.ToLower(mt)] {
		return nil
	}
	if ct == "" {
		return clientError(typeSerialization, "Missing Content-Type header; send "+contentTypeJSON11)
	}
	return clientError(typeSerialization,
		fmt.Sprintf("Content-Type %q is not supported; send %s", clip(ct), contentTypeJSON11))
}

// errBodyTooLarge is the answer to a body over MaxBodyBytes. [guess] The
// status and text are Cognate's; it is a client error, never a 500.
var errBodyTooLarge = clientError(typeSerialization,
	fmt.Sprintf("Request body is larger than the %d-byte limit", MaxBodyBytes))

// readBody reads at most MaxBodyBytes of the request body.
func readBody(r *http.Request) ([]byte, *apiError) {
	if r.ContentLength > MaxBodyBytes {
		return nil, errBodyTooLarge
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxBodyBytes+1))
	if err != nil {
		return nil, clientError(typeSerialization, "Could not read the request body")
	}
	if len(body) > MaxBodyBytes {
		return nil, errBodyTooLarge
	}
	return body, nil
}

// decodeJSON decodes a request body into v, a pointer to an input struct.
// An empty body counts as {}. Members the model does not have are ignored,
// as AWS ignores them. (encoding/json matches member names without regard
// to case, where AWS would ignore a miscased member; SDKs always send the
// exact names.) Every failure is a SerializationException:
//
//   - bytes that are not UTF-8 (encoding/json would silently turn them into
//     U+FFFD) [guess: text];
//   - malformed JSON, or anything after the top-level value [guess: text];
//   - a value of the wrong JSON type for its member. The texts imitate
//     Coral's ("STRING_VALUE can not be converted to an Integer", "Start of
//     structure or map found where not expected.") and add the member
//     [guess: the exact texts differ by service].
func decodeJSON(body []byte, v any) *apiError {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	if !utf8.Valid(body) {
		return clientError(typeSerialization, "The request body is not valid UTF-8")
	}
	err := json.Unmarshal(body, v)
	if err == nil {
		return nil
	}
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return clientError(typeSerialization,
			fmt.Sprintf("Could not parse the request body as JSON: %s (at byte %d)", syn.Error(), syn.Offset))
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return clientError(typeSerialization, typeErrorMessage(te))
	}
	// Only *json.InvalidUnmarshalError is left, which is a bug here, not
	// bad input.
	return internalError(fmt.Errorf("decode request: %w", err))
}

// typeErrorMessage words a JSON type mismatch the way Coral does.
func typeErrorMessage(te *json.UnmarshalTypeError) string {
	where := ""
	if te.Field != "" {
		where = " at '" + te.Field + "'"
	}
	switch {
	case te.Value == "object":
		return "Start of structure or map found where not expected" + where + "."
	case te.Value == "array":
		return "Start of list found where not expected" + where + "."
	}
	kind := "UNKNOWN_VALUE"
	switch {
	case te.Value == "string":
		kind = "STRING_VALUE"
	case te.Value == "bool":
		kind = "BOOLEAN_VALUE"
	case strings.HasPrefix(te.Value, "number"):
		kind = "NUMBER_VALUE"
	}
	return kind + " can not be converted to " + javaTypeName(te.Type) + where
}

func javaTypeName(t reflect.Type) string {
	if t == nil {
		return "a value"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "String"
	case reflect.Bool:
		return "Boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32:
		return "an Integer"
	case reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a Long"
	case reflect.Float32, reflect.Float64:
		return "a Double"
	case reflect.Slice, reflect.Array:
		return "a List"
	case reflect.Map:
		return "a Map"
	default:
		return "a Structure"
	}
}

// clip bounds client text echoed into a message.
func clip(s string) string {
	const limit = 128
	if len(s) > limit {
		s = s[:limit] + "..."
	}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return s
}

// writeJSON writes v as an AWS JSON 1.1 answer. HTML characters are not
// escaped, as AWS does not escape them.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// Wire structs always encode; this is a bug, not a client error.
		status = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString(`{"__type":"` + typeInternalError + `","message":"` + msgInternal + `"}`)
		w.Header().Set("x-amzn-ErrorType", typeInternalError)
	}
	b := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	h := w.Header()
	h.Set("Content-Type", contentTypeJSON11)
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// epochTime is a timestamp on the wire: epoch seconds as a JSON number,
// with milliseconds. Cognito's Java stack prints doubles the way Java does
// (1.594889658976E9 [obs, boto3 issue 2516]); Cognate prints the same
// form, which every JSON parser reads as a number. Use it with omitzero.
type epochTime time.Time

// IsZero reports whether the time is unset.
func (t epochTime) IsZero() bool { return time.Time(t).IsZero() }

// MarshalJSON writes the time as epoch seconds.
func (t epochTime) MarshalJSON() ([]byte, error) {
	return []byte(javaDouble(float64(time.Time(t).UnixMilli()) / 1000)), nil
}

// javaDouble formats f as Java's Double.toString does: plain decimal with
// at least one fractional digit for 1e-3 <= |f| < 1e7, otherwise
// computerized scientific notation (1.7E9). The digits are the shortest
// that round-trip, as in Java.
func javaDouble(f float64) string {
	abs := f
	if abs < 0 {
		abs = -abs
	}
	if abs == 0 || (abs >= 1e-3 && abs < 1e7) {
		s := strconv.FormatFloat(f, 'f', -1, 64)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	s := strconv.FormatFloat(f, 'E', -1, 64) // 1.594889658976E+09
	mant, exp, _ := strings.Cut(s, "E")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	e, _ := strconv.Atoi(exp)
	return mant + "E" + strconv.Itoa(e)
}
