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

	"github.com/provbot/provbot/internal/logsafe"
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
	// The activities of one token share them (a verified token is
	// remembered until it expires): treat them as read-only.
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
	cache           *verifiedTokens
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
		cache:           newVerifiedTokens(verifiedTokensMax),
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

// verified is what checking a request's token established before the
// activity is read: the identity, and what the activity must match (the
// signing key's endorsements and the serviceurl claim).
type verified struct {
	identity     Identity
	endorsements []string // of the signing key (Bot Connector path)
	serviceURL   string   // the serviceurl claim (Bot Connector path)
	kid          string
	notBefore    time.Time // nbf, zero when absent
	expires      time.Time // exp
}

// disabledToken is the result of verifyToken when authentication is off.
var disabledToken = &verified{identity: Identity{Scheme: SchemeDisabled}}

// verifyToken checks the Authorization header on its own, before anything
// of the body is read: the scheme, the JWS, alg, kid, the signature with the
// published key, iss, aud, exp/nbf (5 min skew), and on the Emulator path
// appid/azp. A token verified before is taken from the cache until it
// expires. Failures are [*AuthError] values naming the check.
func (a *authenticator) verifyToken(ctx context.Context, authorization string) (*verified, error) {
	if a.disabled {
		return disabledToken, nil
	}
	raw, err := bearerToken(authorization)
	if err != nil {
		return nil, err
	}
	now := a.now()
	key := tokenKey(raw)
	if v, ok := a.cache.get(key, now); ok {
		return v, nil
	}
	kid, err := checkHeader(raw)
	if err != nil {
		return nil, err
	}
	var v *verified
	if a.emulatorKeys != nil && slices.Contains(a.emulatorIssuers, unverifiedIssuer(raw)) {
		v, err = a.verifyEmulator(ctx, raw, kid)
	} else {
		v, err = a.verifyChannel(ctx, raw, kid)
	}
	if err != nil {
		return nil, err
	}
	a.cache.put(key, v, now)
	return v, nil
}

// checkRouting checks what the token vouches for against the activity's
// routing members, decoded on their own: on the Bot Connector path the
// channel is allowed, the signing key is endorsed for it, and the
// serviceurl claim equals the serviceUrl; on the Emulator path the channel
// is "emulator".
func (a *authenticator) checkRouting(v *verified, r activityRouting) error {
	switch v.identity.Scheme {
	case SchemeDisabled:
		return nil
	case SchemeEmulator:
		if r.ChannelID != ChannelEmulator {
			return authErr(CheckChannel, fmt.Sprintf("channel %q is not %q on the Emulator path", logsafe.Cap(r.ChannelID), ChannelEmulator))
		}
		return nil
	}
	if !slices.Contains(a.allowedChannels, r.ChannelID) {
		return authErr(CheckChannel, fmt.Sprintf("channel %q is not allowed", logsafe.Cap(r.ChannelID)))
	}
	if !slices.Contains(v.endorsements, r.ChannelID) {
		return authErr(CheckEndorsement, fmt.Sprintf("signing key %q is not endorsed for channel %q", logsafe.Cap(v.kid), logsafe.Cap(r.ChannelID)))
	}
	switch {
	case v.serviceURL == "":
		return authErr(CheckServiceURL, "token has no serviceurl claim")
	case r.ServiceURL == "" || !strings.EqualFold(v.serviceURL, r.ServiceURL):
		return authErr(CheckServiceURL, fmt.Sprintf("serviceurl claim %q does not match the activity's serviceUrl %q", logsafe.Cap(v.serviceURL), logsafe.Cap(r.ServiceURL)))
	}
	return nil
}

// admit finishes the checks on the activity's routing members: the tenant
// allow-list. On success the activity's serviceUrl becomes trusted (when a
// token vouched for it); the identity's CallerID is to be stamped on the
// activity.
func (a *authenticator) admit(v *verified, r activityRouting) (Identity, error) {
	if err := a.checkTenant(r.tenantID()); err != nil {
		return Identity{}, err
	}
	id := v.identity
	if id.Authenticated() && a.trusted != nil {
		a.trusted.Add(r.ServiceURL)
	}
	return id, nil
}

// verifyChannel runs the Bot Connector checks that need no activity
// (§1.3): signature, lifetime, issuer, audience.
func (a *authenticator) verifyChannel(ctx context.Context, raw, kid string) (*verified, error) {
	claims, key, err := a.parse(ctx, a.channelKeys, raw, kid)
	if err != nil {
		return nil, err
	}
	iss, _ := claims["iss"].(string)
	if iss != a.cfg.channelIssuer() {
		return nil, authErr(CheckIssuer, fmt.Sprintf("issuer %q is not %q", logsafe.Cap(iss), a.cfg.channelIssuer()))
	}
	if err := a.checkAudience(claims); err != nil {
		return nil, err
	}
	su, _ := claims[serviceURLClaim].(string)
	v := &verified{
		identity:     Identity{Scheme: SchemeBotConnector, AppID: a.cfg.MicrosoftAppId, Issuer: iss, CallerID: a.cfg.callerID(), Claims: claims},
		endorsements: key.endorsements,
		serviceURL:   su,
		kid:          kid,
	}
	v.setLifetime(claims)
	return v, nil
}

// verifyEmulator runs the Emulator checks that need no activity (§1.4):
// Microsoft Entra keys, an Emulator issuer, aud and appid/azp equal to the
// app id ([authenticator.checkRouting] requires channel "emulator"). The
// serviceUrl is not vouched for by this token, but only a holder of the
// bot's own credentials can obtain it.
func (a *authenticator) verifyEmulator(ctx context.Context, raw, kid string) (*verified, error) {
	claims, _, err := a.parse(ctx, a.emulatorKeys, raw, kid)
	if err != nil {
		return nil, err
	}
	iss, _ := claims["iss"].(string)
	if !slices.Contains(a.emulatorIssuers, iss) {
		return nil, authErr(CheckIssuer, fmt.Sprintf("issuer %q is not an Emulator issuer", logsafe.Cap(iss)))
	}
	if err := a.checkAudience(claims); err != nil {
		return nil, err
	}
	ver, _ := claims["ver"].(string)
	var appIDClaim string
	switch ver {
	case "", "1.0":
		appIDClaim = "appid"
	case "2.0":
		appIDClaim = "azp"
	default:
		return nil, authErr(CheckAppID, fmt.Sprintf("token version %q is not supported", logsafe.Cap(ver)))
	}
	if got, _ := claims[appIDClaim].(string); got != a.cfg.MicrosoftAppId {
		return nil, authErr(CheckAppID, fmt.Sprintf("%s claim %q is not the bot's app id", appIDClaim, logsafe.Cap(got)))
	}
	v := &verified{identity: Identity{Scheme: SchemeEmulator, AppID: a.cfg.MicrosoftAppId, Issuer: iss, Claims: claims}, kid: kid}
	v.setLifetime(claims)
	return v, nil
}

// setLifetime records the token's nbf and exp, which a cached result is
// checked against.
func (v *verified) setLifetime(claims jwt.MapClaims) {
	if nbf, err := claims.GetNotBefore(); err == nil && nbf != nil {
		v.notBefore = nbf.Time
	}
	if exp, err := claims.GetExpirationTime(); err == nil && exp != nil {
		v.expires = exp.Time
	}
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
			return nil, &AuthError{Check: CheckSigningKey, Err: fmt.Errorf("kid %q: %w", logsafe.Cap(kid), err)}
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
		return authErr(CheckAudience, fmt.Sprintf("audience %s does not contain the bot's app id", logsafe.Cap(fmt.Sprintf("%q", []string(aud)))))
	}
	return nil
}

// checkTenant applies AllowedTenantIds to the activity's tenant.
func (a *authenticator) checkTenant(tenant string) error {
	if len(a.allowedTenants) == 0 {
		return nil
	}
	if tenant != "" && slices.ContainsFunc(a.allowedTenants, func(t string) bool { return strings.EqualFold(t, tenant) }) {
		return nil
	}
	return authErr(CheckTenant, fmt.Sprintf("tenant %q is not allowed", logsafe.Cap(tenant)))
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
		return "", authErr(CheckAlgorithm, fmt.Sprintf("alg %q is not one of %v", logsafe.Cap(alg), allowedAlgorithms))
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
