package botframework

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Token validation constants (protocol reference §1.3).
const (
	// clockSkew is the tolerance on exp and nbf.
	clockSkew = 5 * time.Minute
	// serviceURLClaim is the claim that must equal the activity's serviceUrl.
	serviceURLClaim = "serviceurl"
	// CallerIDAzure is stamped on activities authenticated on the Bot
	// Connector path (public cloud).
	CallerIDAzure = "urn:botframework:azure"
	// CallerIDAzureUSGov is stamped instead in the US Government cloud.
	CallerIDAzureUSGov = "urn:botframework:azureusgov"
)

// allowedAlgorithms are the only signature algorithms accepted.
var allowedAlgorithms = []string{"RS256", "RS384", "RS512"}

// AuthScheme says how a request was authenticated.
type AuthScheme string

// Authentication schemes.
const (
	// SchemeBotConnector: a Bot Connector token (Teams), all §1.3 checks.
	SchemeBotConnector AuthScheme = "botConnector"
	// SchemeEmulator: a token the Bot Framework Emulator obtained with the
	// bot's own credentials (only with Config.AllowEmulator).
	SchemeEmulator AuthScheme = "emulator"
	// SchemeDisabled: authentication is off (no MicrosoftAppId, loopback only).
	SchemeDisabled AuthScheme = "disabled"
)

// Identity is what authentication established about a request.
type Identity struct {
	// Scheme says which validation path accepted the request.
	Scheme AuthScheme
	// AppID is the audience the token was issued for: the bot's app id.
	AppID string
	// Issuer is the token's iss.
	Issuer string
	// CallerID is stamped on the activity ([CallerIDAzure] on the Bot
	// Connector path, "" otherwise).
	CallerID string
	// Claims are the verified token claims; nil when authentication is off.
	Claims map[string]any
}

// Authenticated reports whether a token was verified (false only when
// authentication is disabled).
func (i Identity) Authenticated() bool { return i.Scheme != SchemeDisabled && i.Scheme != "" }

// authOptions are the dependencies of an authenticator.
type authOptions struct {
	// ListenAddr is the address the server listens on; with authentication
	// disabled it must be a loopback address.
	ListenAddr string
	// HTTPClient fetches the OpenID metadata and signing keys. Default: a
	// client with a 15 s timeout.
	HTTPClient *http.Client
	// Logger receives key-refresh warnings. Required.
	Logger *slog.Logger
	// Now is the clock for token lifetimes and the key cache. Default time.Now.
	Now func() time.Time
	// Trusted, when set, receives the serviceUrl of every activity that
	// passes authentication; the [Connector] sends the bot token only there.
	Trusted *TrustedServiceURLs
}

// authenticator checks inbound Bot Framework requests. It is safe for
// concurrent use and shares one signing-key cache per metadata URL among all
// requests.
type authenticator struct {
	cfg             Config
	disabled        bool
	now             func() time.Time
	logger          *slog.Logger
	trusted         *TrustedServiceURLs
	channelKeys     *keyCache
	emulatorKeys    *keyCache // nil unless AllowEmulator
	allowedChannels []string
	allowedTenants  []string
	emulatorIssuers []string
}

// newAuthenticator validates cfg and returns an authenticator. It refuses to
// disable authentication (empty MicrosoftAppId) unless o.ListenAddr is a
// loopback address.
func newAuthenticator(cfg Config, o authOptions) (*authenticator, error) {
	if err := cfg.validate(false); err != nil {
		return nil, err
	}
	if err := cfg.CheckListenAddr(o.ListenAddr); err != nil {
		return nil, err
	}
	if o.Logger == nil {
		return nil, errors.New("bot: authOptions.Logger is required")
	}
	now := o.Now
	if now == nil {
		now = time.Now
	}
	client := o.HTTPClient
	if client == nil {
		client = &http.Client{Timeout: keyFetchTimeout}
	}
	logger := o.Logger.With("component", "bot.auth")
	a := &authenticator{
		cfg:             cfg,
		disabled:        cfg.AuthDisabled(),
		now:             now,
		logger:          logger,
		trusted:         o.Trusted,
		channelKeys:     newKeyCache(cfg.channelMetadataURL(), client, now, logger),
		allowedChannels: cfg.allowedChannels(),
		allowedTenants:  cfg.AllowedTenantIds,
		emulatorIssuers: cfg.emulatorIssuerList(),
	}
	if cfg.AllowEmulator {
		a.emulatorKeys = newKeyCache(cfg.emulatorMetadataURL(), client, now, logger)
	}
	if a.disabled {
		logger.Warn("authentication is disabled (no MicrosoftAppId); accepting unauthenticated requests on a loopback address", "listen_addr", o.ListenAddr)
	}
	return a, nil
}

// Disabled reports whether authentication is off.
func (a *authenticator) Disabled() bool { return a.disabled }

// Authenticate checks the Authorization header of a request carrying act.
// On the Bot Connector path it verifies the scheme, the JWS, alg, kid, the
// signature with the published key, iss, aud, exp/nbf (5 min skew), that the
// signing key is endorsed for act.ChannelID and that channel is allowed, and
// that the serviceurl claim equals act.ServiceURL; then the tenant
// allow-list. On success the activity's serviceUrl becomes trusted and
// act.CallerID is set. Failures are [*AuthError] values naming the check.
func (a *authenticator) Authenticate(ctx context.Context, authorization string, act *Activity) (Identity, error) {
	act.CallerID = ""
	var id Identity
	if a.disabled {
		id = Identity{Scheme: SchemeDisabled}
	} else {
		var err error
		id, err = a.verifyToken(ctx, authorization, act)
		if err != nil {
			return Identity{}, err
		}
	}
	if err := a.checkTenant(act); err != nil {
		return Identity{}, err
	}
	if id.Authenticated() && a.trusted != nil {
		a.trusted.Add(act.ServiceURL)
	}
	act.CallerID = id.CallerID
	return id, nil
}

// verifyToken picks the validation path from the unverified issuer (a hint
// only: the chosen path verifies everything) and runs it.
func (a *authenticator) verifyToken(ctx context.Context, authorization string, act *Activity) (Identity, error) {
	raw, err := bearerToken(authorization)
	if err != nil {
		return Identity{}, err
	}
	kid, err := checkHeader(raw)
	if err != nil {
		return Identity{}, err
	}
	if a.emulatorKeys != nil && slices.Contains(a.emulatorIssuers, unverifiedIssuer(raw)) {
		return a.verifyEmulator(ctx, raw, kid, act)
	}
	return a.verifyChannel(ctx, raw, kid, act)
}

// verifyChannel runs the Bot Connector checks (§1.3).
func (a *authenticator) verifyChannel(ctx context.Context, raw, kid string, act *Activity) (Identity, error) {
	claims, key, err := a.parse(ctx, a.channelKeys, raw, kid)
	if err != nil {
		return Identity{}, err
	}
	iss, _ := claims["iss"].(string)
	if iss != a.cfg.channelIssuer() {
		return Identity{}, authErr(CheckIssuer, fmt.Sprintf("issuer %q is not %q", iss, a.cfg.channelIssuer()))
	}
	if err := a.checkAudience(claims); err != nil {
		return Identity{}, err
	}
	if !slices.Contains(a.allowedChannels, act.ChannelID) {
		return Identity{}, authErr(CheckChannel, fmt.Sprintf("channel %q is not allowed", act.ChannelID))
	}
	if !slices.Contains(key.endorsements, act.ChannelID) {
		return Identity{}, authErr(CheckEndorsement, fmt.Sprintf("signing key %q is not endorsed for channel %q", kid, act.ChannelID))
	}
	su, _ := claims[serviceURLClaim].(string)
	switch {
	case su == "":
		return Identity{}, authErr(CheckServiceURL, "token has no serviceurl claim")
	case act.ServiceURL == "" || !strings.EqualFold(su, act.ServiceURL):
		return Identity{}, authErr(CheckServiceURL, fmt.Sprintf("serviceurl claim %q does not match the activity's serviceUrl %q", su, act.ServiceURL))
	}
	return Identity{Scheme: SchemeBotConnector, AppID: a.cfg.MicrosoftAppId, Issuer: iss, CallerID: a.cfg.callerID(), Claims: claims}, nil
}

// verifyEmulator runs the Emulator checks (§1.4): Microsoft Entra keys, an
// Emulator issuer, aud and appid/azp equal to the app id, channel
// "emulator". The serviceUrl is not vouched for by this token, but only a
// holder of the bot's own credentials can obtain it.
func (a *authenticator) verifyEmulator(ctx context.Context, raw, kid string, act *Activity) (Identity, error) {
	claims, _, err := a.parse(ctx, a.emulatorKeys, raw, kid)
	if err != nil {
		return Identity{}, err
	}
	iss, _ := claims["iss"].(string)
	if !slices.Contains(a.emulatorIssuers, iss) {
		return Identity{}, authErr(CheckIssuer, fmt.Sprintf("issuer %q is not an Emulator issuer", iss))
	}
	if err := a.checkAudience(claims); err != nil {
		return Identity{}, err
	}
	ver, _ := claims["ver"].(string)
	var appIDClaim string
	switch ver {
	case "", "1.0":
		appIDClaim = "appid"
	case "2.0":
		appIDClaim = "azp"
	default:
		return Identity{}, authErr(CheckAppID, fmt.Sprintf("token version %q is not supported", ver))
	}
	if got, _ := claims[appIDClaim].(string); got != a.cfg.MicrosoftAppId {
		return Identity{}, authErr(CheckAppID, fmt.Sprintf("%s claim %q is not the bot's app id", appIDClaim, got))
	}
	if act.ChannelID != ChannelEmulator {
		return Identity{}, authErr(CheckChannel, fmt.Sprintf("channel %q is not %q on the Emulator path", act.ChannelID, ChannelEmulator))
	}
	return Identity{Scheme: SchemeEmulator, AppID: a.cfg.MicrosoftAppId, Issuer: iss, Claims: claims}, nil
}

// parse verifies the signature with the published key named kid and the
// token lifetime, and returns the claims and the key.
func (a *authenticator) parse(ctx context.Context, keys *keyCache, raw, kid string) (jwt.MapClaims, signingKey, error) {
	parser := jwt.NewParser(
		jwt.WithValidMethods(allowedAlgorithms),
		jwt.WithLeeway(clockSkew),
		jwt.WithExpirationRequired(),
		jwt.WithTimeFunc(a.now),
	)
	claims := jwt.MapClaims{}
	var key signingKey
	_, err := parser.ParseWithClaims(raw, claims, func(*jwt.Token) (any, error) {
		k, err := keys.key(ctx, kid)
		if err != nil {
			return nil, &AuthError{Check: CheckSigningKey, Err: fmt.Errorf("kid %q: %w", kid, err)}
		}
		key = k
		return k.pub, nil
	})
	if err != nil {
		return nil, signingKey{}, classifyJWTError(err)
	}
	return claims, key, nil
}

// checkAudience requires aud (a string or an array) to contain exactly the
// app id.
func (a *authenticator) checkAudience(claims jwt.MapClaims) error {
	aud, err := claims.GetAudience()
	if err != nil {
		return &AuthError{Check: CheckAudience, Err: err}
	}
	if !slices.Contains(aud, a.cfg.MicrosoftAppId) {
		return authErr(CheckAudience, fmt.Sprintf("audience %q does not contain the bot's app id", []string(aud)))
	}
	return nil
}

// checkTenant applies AllowedTenantIds.
func (a *authenticator) checkTenant(act *Activity) error {
	if len(a.allowedTenants) == 0 {
		return nil
	}
	tenant := act.TenantID()
	if tenant != "" && slices.ContainsFunc(a.allowedTenants, func(t string) bool { return strings.EqualFold(t, tenant) }) {
		return nil
	}
	return authErr(CheckTenant, fmt.Sprintf("tenant %q is not allowed", tenant))
}

// bearerToken extracts the token of an "Authorization: Bearer <token>" header.
func bearerToken(header string) (string, error) {
	if strings.TrimSpace(header) == "" {
		return "", authErr(CheckHeader, "no Authorization header")
	}
	scheme, token, ok := strings.Cut(header, " ")
	if !ok || scheme != "Bearer" {
		return "", authErr(CheckScheme, "scheme is not Bearer")
	}
	if token == "" || strings.ContainsAny(token, " \t") {
		return "", authErr(CheckScheme, `header is not "Bearer <token>"`)
	}
	return token, nil
}

// checkHeader decodes the JWS header and checks alg and kid before any key
// is looked up.
func checkHeader(raw string) (kid string, err error) {
	parts := strings.Split(raw, ".")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" {
		return "", authErr(CheckFormat, "not a JWS compact token")
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil {
		return "", &AuthError{Check: CheckFormat, Err: fmt.Errorf("header: %w", err)}
	}
	var h struct {
		Alg any `json:"alg"`
		Kid any `json:"kid"`
	}
	if err := json.Unmarshal(b, &h); err != nil {
		return "", &AuthError{Check: CheckFormat, Err: fmt.Errorf("header: %w", err)}
	}
	alg, _ := h.Alg.(string)
	if !slices.Contains(allowedAlgorithms, alg) {
		return "", authErr(CheckAlgorithm, fmt.Sprintf("alg %q is not one of %v", alg, allowedAlgorithms))
	}
	kid, _ = h.Kid.(string)
	if kid == "" {
		return "", authErr(CheckKeyID, "header has no kid")
	}
	return kid, nil
}

// unverifiedIssuer returns the iss claim without verifying anything; it only
// selects the validation path.
func unverifiedIssuer(raw string) string {
	claims := jwt.MapClaims{}
	if _, _, err := jwt.NewParser().ParseUnverified(raw, claims); err != nil {
		return ""
	}
	iss, _ := claims["iss"].(string)
	return iss
}

// classifyJWTError maps a jwt parse error to the check that failed.
func classifyJWTError(err error) *AuthError {
	var ae *AuthError
	if errors.As(err, &ae) {
		return ae
	}
	check := CheckFormat
	switch {
	case errors.Is(err, jwt.ErrTokenMalformed):
		check = CheckFormat
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		check = CheckSignature
	case errors.Is(err, jwt.ErrTokenExpired), errors.Is(err, jwt.ErrTokenNotValidYet),
		errors.Is(err, jwt.ErrTokenRequiredClaimMissing), errors.Is(err, jwt.ErrTokenUsedBeforeIssued):
		check = CheckLifetime
	case errors.Is(err, jwt.ErrTokenUnverifiable):
		check = CheckAlgorithm
	}
	return &AuthError{Check: check, Err: err}
}
