package botframework

import "errors"

// AuthCheck names the authentication check a request failed, for logs.
type AuthCheck string

// The checks of an inbound request, in the order they run (protocol
// reference §1.3 and §1.4).
const (
	CheckHeader      AuthCheck = "authorization header" // missing or blank
	CheckScheme      AuthCheck = "scheme"               // not exactly "Bearer <token>"
	CheckFormat      AuthCheck = "token format"         // not a well-formed JWS
	CheckAlgorithm   AuthCheck = "algorithm"            // alg not RS256/RS384/RS512
	CheckKeyID       AuthCheck = "key id"               // kid missing
	CheckSigningKey  AuthCheck = "signing key"          // kid unknown or no keys available
	CheckSignature   AuthCheck = "signature"
	CheckLifetime    AuthCheck = "lifetime" // exp missing, expired or nbf in the future (5 min skew)
	CheckIssuer      AuthCheck = "issuer"
	CheckAudience    AuthCheck = "audience"
	CheckAppID       AuthCheck = "app id"  // Emulator path: ver/appid/azp
	CheckChannel     AuthCheck = "channel" // channelId not allowed on this path
	CheckEndorsement AuthCheck = "endorsement"
	CheckServiceURL  AuthCheck = "service url"
	CheckTenant      AuthCheck = "tenant" // not in AllowedTenantIds
)

// ErrUnauthenticated matches every [*AuthError] with errors.Is.
var ErrUnauthenticated = errors.New("unauthenticated")

// AuthError reports which check rejected a request and why. Its text never
// contains the token. The server answers a plain 401 (403 for
// [CheckTenant]) and logs the error.
type AuthError struct {
	Check AuthCheck
	Err   error
}

// Error says which check failed and why.
func (e *AuthError) Error() string {
	if e.Err == nil {
		return "unauthenticated: " + string(e.Check)
	}
	return "unauthenticated: " + string(e.Check) + ": " + e.Err.Error()
}

// Unwrap returns the underlying reason.
func (e *AuthError) Unwrap() error { return e.Err }

// Is matches [ErrUnauthenticated].
func (e *AuthError) Is(target error) bool { return target == ErrUnauthenticated }

// authErr builds an *AuthError from a message.
func authErr(check AuthCheck, msg string) *AuthError {
	return &AuthError{Check: check, Err: errors.New(msg)}
}
