package bftest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"
)

// Issuer names and paths, as the real services use them.
const (
	// BotConnectorIssuer is the iss of Bot Connector tokens.
	BotConnectorIssuer = "https://api.botframework.com"
	// GovBotConnectorIssuer is the iss of the US Government cloud's Bot
	// Connector tokens.
	GovBotConnectorIssuer = "https://api.botframework.us"
	// EmulatorIssuer is a Microsoft Entra ID v2 issuer the Emulator's tokens
	// carry (the Bot Framework tenant).
	EmulatorIssuer = "https://login.microsoftonline.com/f8cdef31-a31e-4b4a-93e4-5f571e91255a/v2.0"

	botConnectorMetadataPath = "/v1/.well-known/openidconfiguration"
	botConnectorKeysPath     = "/v1/.well-known/keys"
	emulatorMetadataPath     = "/common/v2.0/.well-known/openid-configuration"
	emulatorKeysPath         = "/common/discovery/v2.0/keys"
)

// IssuerOptions configure an [Issuer].
type IssuerOptions struct {
	// AppID is the bot's app id: the default audience. Required.
	AppID string
	// Emulator makes the issuer act as Microsoft Entra ID for Emulator
	// tokens: iss [EmulatorIssuer], keys without endorsements, tokens with
	// ver "2.0" and azp = AppID and no serviceurl.
	Emulator bool
	// Endorsements of the first key. Default ["msteams"] (none for Emulator).
	Endorsements []string
	// Issuer is the iss of the tokens it signs and of its metadata.
	// Default [BotConnectorIssuer] ([EmulatorIssuer] for Emulator); US
	// Government's Bot Connector is [GovBotConnectorIssuer].
	Issuer string
	// Now is the clock for default token times. Default time.Now.
	Now func() time.Time
}

// Issuer is a fake token issuer: it serves the OpenID metadata document and
// the JWKS (with the Bot Framework's "endorsements" member) over
// httptest, and signs tokens with its keys. Safe for concurrent use.
type Issuer struct {
	// URL is the server's base URL.
	URL string
	// MetadataURL is the OpenID metadata document to configure as
	// ToBotFromChannelOpenIdMetadataUrl (or the Emulator metadata URL).
	MetadataURL string
	// JWKSURL is the key set the metadata points to.
	JWKSURL string
	// Name is the iss of the tokens it signs.
	Name string
	// AppID is the default audience.
	AppID string

	emulator bool
	now      func() time.Time
	srv      *httptest.Server

	mu               sync.Mutex
	keys             []*issuerKey // in creation order
	current          *issuerKey
	unpublished      *rsa.PrivateKey // signs "wrong key" tokens
	metadataRequests int
	jwksRequests     int
	metadataFailures []failure
	jwksFailures     []failure
}

// issuerKey is one signing key.
type issuerKey struct {
	kid          string
	priv         *rsa.PrivateKey
	endorsements []string
	published    bool
}

// NewIssuer starts an Issuer and closes it when the test ends.
func NewIssuer(tb testing.TB, opts IssuerOptions) *Issuer {
	tb.Helper()
	i, err := StartIssuer(opts)
	if err != nil {
		tb.Fatalf("bftest: start issuer: %v", err)
	}
	tb.Cleanup(i.Close)
	return i
}

// StartIssuer starts an Issuer; Close it when done.
func StartIssuer(opts IssuerOptions) (*Issuer, error) {
	if opts.AppID == "" {
		return nil, errors.New("bftest: IssuerOptions.AppID is required")
	}
	i := &Issuer{AppID: opts.AppID, emulator: opts.Emulator, now: opts.Now}
	if i.now == nil {
		i.now = time.Now
	}
	wrong, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	i.unpublished = wrong
	endorsements := opts.Endorsements
	if endorsements == nil && !opts.Emulator {
		endorsements = []string{"msteams"}
	}
	first, err := i.newKey(endorsements)
	if err != nil {
		return nil, err
	}
	i.current = first

	metadataPath, keysPath := botConnectorMetadataPath, botConnectorKeysPath
	i.Name = BotConnectorIssuer
	if opts.Emulator {
		metadataPath, keysPath = emulatorMetadataPath, emulatorKeysPath
		i.Name = EmulatorIssuer
	}
	if opts.Issuer != "" {
		i.Name = opts.Issuer
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+metadataPath, i.serveMetadata)
	mux.HandleFunc("GET "+keysPath, i.serveKeys)
	i.srv = httptest.NewServer(mux)
	i.URL = i.srv.URL
	i.MetadataURL = i.srv.URL + metadataPath
	i.JWKSURL = i.srv.URL + keysPath
	return i, nil
}

// Close stops the server.
func (i *Issuer) Close() { i.srv.Close() }

// newKey generates and publishes a key.
func (i *Issuer) newKey(endorsements []string) (*issuerKey, error) {
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	der, err := x509.MarshalPKIXPublicKey(&priv.PublicKey)
	if err != nil {
		return nil, err
	}
	sum := sha1.Sum(der) // like an x5t thumbprint
	k := &issuerKey{
		kid:          base64.RawURLEncoding.EncodeToString(sum[:]),
		priv:         priv,
		endorsements: slices.Clone(endorsements),
		published:    true,
	}
	i.mu.Lock()
	i.keys = append(i.keys, k)
	i.mu.Unlock()
	return k, nil
}

// CurrentKeyID returns the kid that tokens are signed with by default.
func (i *Issuer) CurrentKeyID() string {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.current.kid
}

// AddKey publishes a new key endorsed for the given channels (none for an
// Emulator issuer unless given) without making it current, and returns its
// kid. Sign with it through TokenSpec.KeyID.
func (i *Issuer) AddKey(endorsements ...string) string {
	k, err := i.newKey(endorsements)
	if err != nil {
		panic(fmt.Sprintf("bftest: generate key: %v", err))
	}
	return k.kid
}

// RotateKey publishes a new key with the current key's endorsements, makes
// it current and returns its kid. The old key stays published until
// [Issuer.RetireKey].
func (i *Issuer) RotateKey() string {
	i.mu.Lock()
	endorsements := i.current.endorsements
	i.mu.Unlock()
	kid := i.AddKey(endorsements...)
	i.mu.Lock()
	defer i.mu.Unlock()
	i.current = i.key(kid)
	return kid
}

// RetireKey removes kid from the published key set. Tokens can still be
// signed with it (to test that they are refused once the set is refreshed).
func (i *Issuer) RetireKey(kid string) {
	i.mu.Lock()
	defer i.mu.Unlock()
	if k := i.key(kid); k != nil {
		k.published = false
	}
}

// key finds a key by kid; i.mu is held.
func (i *Issuer) key(kid string) *issuerKey {
	for _, k := range i.keys {
		if k.kid == kid {
			return k
		}
	}
	return nil
}

// MetadataRequests returns how many times the metadata document was fetched.
func (i *Issuer) MetadataRequests() int {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.metadataRequests
}

// JWKSRequests returns how many times the key set was fetched.
func (i *Issuer) JWKSRequests() int {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.jwksRequests
}

// FailJWKS makes the next times key-set requests answer status.
func (i *Issuer) FailJWKS(status, times int) {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.jwksFailures = append(i.jwksFailures, failure{status: status, times: max(times, 1)})
}

// FailMetadata makes the next times metadata requests answer status.
func (i *Issuer) FailMetadata(status, times int) {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.metadataFailures = append(i.metadataFailures, failure{status: status, times: max(times, 1)})
}

// serveMetadata serves the OpenID metadata document.
func (i *Issuer) serveMetadata(w http.ResponseWriter, _ *http.Request) {
	i.mu.Lock()
	i.metadataRequests++
	f, failing := takeFailure(&i.metadataFailures)
	i.mu.Unlock()
	if failing {
		http.Error(w, http.StatusText(f.status), f.status)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                i.Name,
		"authorization_endpoint":                "https://invalid.botframework.com",
		"jwks_uri":                              i.JWKSURL,
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"token_endpoint_auth_methods_supported": []string{"private_key_jwt"},
	})
}

// serveKeys serves the JWKS with endorsements.
func (i *Issuer) serveKeys(w http.ResponseWriter, _ *http.Request) {
	i.mu.Lock()
	i.jwksRequests++
	f, failing := takeFailure(&i.jwksFailures)
	var keys []map[string]any
	for _, k := range i.keys {
		if !k.published {
			continue
		}
		jwk := map[string]any{
			"kty": "RSA",
			"use": "sig",
			"kid": k.kid,
			"x5t": k.kid,
			"n":   base64.RawURLEncoding.EncodeToString(k.priv.N.Bytes()),
			"e":   base64.RawURLEncoding.EncodeToString(big.NewInt(int64(k.priv.E)).Bytes()),
		}
		if k.endorsements != nil {
			jwk["endorsements"] = k.endorsements
		}
		keys = append(keys, jwk)
	}
	i.mu.Unlock()
	if failing {
		http.Error(w, http.StatusText(f.status), f.status)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"keys": keys})
}
