package respond

// The gateway response types (APIGATEWAY.md §2.2).
const (
	AccessDenied                 = "ACCESS_DENIED"
	APIConfigurationError        = "API_CONFIGURATION_ERROR"
	AuthorizerConfigurationError = "AUTHORIZER_CONFIGURATION_ERROR"
	AuthorizerFailure            = "AUTHORIZER_FAILURE"
	BadRequestParameters         = "BAD_REQUEST_PARAMETERS"
	BadRequestBody               = "BAD_REQUEST_BODY"
	Default4XX                   = "DEFAULT_4XX"
	Default5XX                   = "DEFAULT_5XX"
	ExpiredToken                 = "EXPIRED_TOKEN"
	IntegrationFailure           = "INTEGRATION_FAILURE"
	IntegrationTimeout           = "INTEGRATION_TIMEOUT"
	InvalidAPIKey                = "INVALID_API_KEY"
	InvalidSignature             = "INVALID_SIGNATURE"
	MissingAuthenticationToken   = "MISSING_AUTHENTICATION_TOKEN"
	QuotaExceeded                = "QUOTA_EXCEEDED"
	RequestTooLarge              = "REQUEST_TOO_LARGE"
	ResourceNotFound             = "RESOURCE_NOT_FOUND"
	Throttled                    = "THROTTLED"
	Unauthorized                 = "UNAUTHORIZED"
	UnsupportedMediaType         = "UNSUPPORTED_MEDIA_TYPE"
	WAFFiltered                  = "WAF_FILTERED"
)

// builtin is one row of the built-in table.
type builtin struct {
	status    int
	errorType string  // x-amzn-ErrorType
	message   *string // nil: the message is JSON null
}

func msg(s string) *string { return &s }

// Statuses are the defaults AWS reports for a new API's gateway
// responses [obs: LocalStack test_gateway_response_crud snapshot].
// Error types are LocalStack's table; those marked ✓ in APIGATEWAY.md
// §1.3 are [obs], the rest [emulator]. Messages are [obs] where §2.2 says
// so and [guess] otherwise, as marked.
var builtins = map[string]builtin{
	// [obs] for Lambda-authorizer denials without an explicit Deny.
	AccessDenied: {403, "AccessDeniedException", msg("User is not authorized to access this resource")},
	// [guess] message; LocalStack raises it with "Internal server error".
	APIConfigurationError: {500, "ApiConfigurationException", msg("Internal server error")},
	// [emulator] AWS sends a null message.
	AuthorizerConfigurationError: {500, "AuthorizerConfigurationException", nil},
	// [guess] message.
	AuthorizerFailure:    {500, "AuthorizerFailureException", msg("Internal server error")},
	BadRequestParameters: {400, "BadRequestException", msg("Missing required request parameters: []")},
	BadRequestBody:       {400, "BadRequestException", msg("Invalid request body")},
	// DEFAULT_4XX and DEFAULT_5XX have no status of their own on AWS; an
	// error raised as one of them gets 400 or 500 [emulator], and the
	// messages are [guess].
	Default4XX: {400, "BadRequestException", msg("Bad Request")},
	Default5XX: {500, "InternalServerErrorException", msg("Internal server error")},
	// [guess] message; SigV4 callers pass the exact expiry text.
	ExpiredToken:       {403, "ExpiredTokenException", msg("The security token included in the request is expired")},
	IntegrationFailure: {504, "InternalServerErrorException", msg("Internal server error")},
	// [obs-folklore] message.
	IntegrationTimeout: {504, "InternalServerErrorException", msg("Endpoint request timed out")},
	InvalidAPIKey:      {403, "ForbiddenException", msg("Forbidden")},
	InvalidSignature: {403, "InvalidSignatureException", msg("The request signature we calculated does not match the signature you provided. " +
		"Check your AWS Secret Access Key and signing method. Consult the service documentation for details.")},
	MissingAuthenticationToken: {403, "MissingAuthenticationTokenException", msg("Missing Authentication Token")},
	QuotaExceeded:              {429, "LimitExceededException", msg("Limit Exceeded")},      // [guess] message
	RequestTooLarge:            {413, "RequestTooLargeException", msg("Request Too Long")},  // [guess] message
	ResourceNotFound:           {404, "ResourceNotFoundException", msg("Not Found")},        // [guess] message
	Throttled:                  {429, "TooManyRequestsException", msg("Too Many Requests")}, // [guess] message
	Unauthorized:               {401, "UnauthorizedException", msg("Unauthorized")},         // [obs]
	UnsupportedMediaType:       {415, "BadRequestException", msg("Unsupported Media Type")}, // [guess] message
	WAFFiltered:                {403, "WafFilteredException", msg("Forbidden")},             // [guess] message
}

// Default returns the built-in answer for a gateway response type: its
// status, its x-amzn-ErrorType and its default message (nil means the
// message renders as JSON null). An unknown type answers as DEFAULT_5XX,
// since only a bug in the caller can name one.
func Default(typ string) (status int, errorType string, message *string) {
	b, ok := builtins[typ]
	if !ok {
		b = builtins[Default5XX]
	}
	var m *string
	if b.message != nil {
		m = msg(*b.message) // a copy, so callers cannot edit the table
	}
	return b.status, b.errorType, m
}

// Known reports whether typ is one of the gateway response types.
func Known(typ string) bool {
	_, ok := builtins[typ]
	return ok
}

// class returns DEFAULT_5XX for types whose built-in status is 5xx and
// DEFAULT_4XX for the others: the API default a type falls back to.
func class(typ string) string {
	switch typ {
	case Default4XX, Default5XX:
		return typ
	}
	status, _, _ := Default(typ)
	if status >= 500 {
		return Default5XX
	}
	return Default4XX
}
