package botframework

import (
	"context"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net/http"
	"sync"
	"time"
)

// Key cache timing (protocol reference §1.7).
const (
	// keyRefreshInterval: refresh the whole key set at least this often.
	keyRefreshInterval = 24 * time.Hour
	// unknownKeyRefreshInterval: a token with an unknown kid forces a refresh
	// at most this often.
	unknownKeyRefreshInterval = 5 * time.Minute
	// failedFetchRetryInterval: after a failed fetch, a missing or stale key
	// set is fetched again at most this often.
	failedFetchRetryInterval = 30 * time.Second
	// keyFetchTimeout bounds one metadata + JWKS fetch.
	keyFetchTimeout = 15 * time.Second
	// maxKeyDocumentBytes bounds the metadata and JWKS documents.
	maxKeyDocumentBytes = 1 << 20
	// minRSAKeyBits is the smallest signing key accepted.
	minRSAKeyBits = 2048
)

// errUnknownKey and errNoKeys are the reasons a signing key is not found.
var (
	errUnknownKey = errors.New("no signing key with this kid")
	errNoKeys     = errors.New("no signing keys available")
)

// signingKey is one RSA key of the published key set with the channels it is
// endorsed for (the non-standard "endorsements" member, Bot Connector only).
type signingKey struct {
	pub          *rsa.PublicKey
	endorsements []string
}

// keyCache holds the signing keys published behind one OpenID metadata URL.
// All requests share it; only one fetch runs at a time and the others wait
// for it. Keys and endorsements always come from the same fetch, and a failed
// refresh keeps the keys already known.
type keyCache struct {
	metadataURL string
	client      *http.Client
	now         func() time.Time
	logger      *slog.Logger

	mu        sync.Mutex
	keys      map[string]signingKey
	fetched   time.Time  // last successful fetch
	attempted time.Time  // last fetch started, successful or not
	inflight  *fetchCall // the running fetch, if any
}

// fetchCall is a fetch in progress; done is closed when it ends.
type fetchCall struct {
	done chan struct{}
	err  error
}

func newKeyCache(metadataURL string, client *http.Client, now func() time.Time, logger *slog.Logger) *keyCache {
	return &keyCache{
		metadataURL: metadataURL,
		client:      client,
		now:         now,
		logger:      logger.With("metadata_url", metadataURL),
	}
}

// key returns the signing key with the given kid. It fetches the key set when
// none is known, when it is older than a day, or when kid is unknown (at most
// once per five minutes), and waits for a fetch that is already running.
// Errors wrap errUnknownKey or errNoKeys.
func (c *keyCache) key(ctx context.Context, kid string) (signingKey, error) {
	c.mu.Lock()
	now := c.now()
	k, found := c.keys[kid]
	stale := c.fetched.IsZero() || now.Sub(c.fetched) >= keyRefreshInterval
	if found && !stale {
		c.mu.Unlock()
		return k, nil
	}
	call := c.inflight
	if call == nil && c.fetchAllowed(now, stale) {
		call = c.startFetch(ctx, now)
	}
	c.mu.Unlock()

	var fetchErr error
	if call != nil {
		select {
		case <-call.done:
			fetchErr = call.err
		case <-ctx.Done():
			return signingKey{}, fmt.Errorf("wait for signing keys: %w", ctx.Err())
		}
	}
	c.mu.Lock()
	k, found = c.keys[kid]
	known := len(c.keys)
	c.mu.Unlock()
	switch {
	case found:
		return k, nil
	case known == 0 && fetchErr != nil:
		return signingKey{}, fmt.Errorf("%w: %w", errNoKeys, fetchErr)
	case known == 0:
		return signingKey{}, errNoKeys
	default:
		return signingKey{}, errUnknownKey
	}
}

// ensure makes sure signing keys are known, fetching them when none are
// (within the usual rate limits).
func (c *keyCache) ensure(ctx context.Context) error {
	_, err := c.key(ctx, "")
	if errors.Is(err, errUnknownKey) {
		return nil // keys are known; "" is simply not one of them
	}
	return err
}

// fetchAllowed applies the rate limits. c.mu is held.
func (c *keyCache) fetchAllowed(now time.Time, stale bool) bool {
	if c.attempted.IsZero() {
		return true
	}
	since := now.Sub(c.attempted)
	if stale {
		return since >= failedFetchRetryInterval
	}
	return since >= unknownKeyRefreshInterval
}

// startFetch starts a fetch in the background, detached from the caller's
// cancellation so that one impatient request cannot fail the others waiting
// for it. c.mu is held.
func (c *keyCache) startFetch(ctx context.Context, now time.Time) *fetchCall {
	call := &fetchCall{done: make(chan struct{})}
	c.inflight = call
	c.attempted = now
	go func() {
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), keyFetchTimeout)
		defer cancel()
		keys, err := c.fetch(fctx)
		c.mu.Lock()
		if err == nil {
			c.keys = keys
			c.fetched = c.now()
		}
		call.err = err
		c.inflight = nil
		known := len(c.keys)
		c.mu.Unlock()
		if err != nil {
			c.logger.Warn("signing key refresh failed; keeping the keys already known", "known_keys", known, "err", err)
		} else {
			c.logger.Debug("signing keys refreshed", "keys", len(keys))
		}
		close(call.done)
	}()
	return call
}

// openIDMetadata is the part of the OpenID metadata document we read.
type openIDMetadata struct {
	JWKSURI string `json:"jwks_uri"`
}

// jsonWebKey is one member of a JWKS "keys" array, with the Bot Framework's
// endorsements extension.
type jsonWebKey struct {
	Kty          string   `json:"kty"`
	Use          string   `json:"use"`
	Kid          string   `json:"kid"`
	N            string   `json:"n"`
	E            string   `json:"e"`
	Endorsements []string `json:"endorsements"`
}

// fetch reads the metadata document, then the key set its jwks_uri names.
func (c *keyCache) fetch(ctx context.Context) (map[string]signingKey, error) {
	var meta openIDMetadata
	if err := getJSON(ctx, c.client, c.metadataURL, &meta); err != nil {
		return nil, fmt.Errorf("get openid metadata: %w", err)
	}
	if meta.JWKSURI == "" {
		return nil, errors.New("openid metadata has no jwks_uri")
	}
	if err := checkEndpointURL(meta.JWKSURI); err != nil {
		return nil, fmt.Errorf("openid metadata jwks_uri: %w", err)
	}
	var set struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := getJSON(ctx, c.client, meta.JWKSURI, &set); err != nil {
		return nil, fmt.Errorf("get signing keys: %w", err)
	}
	keys := make(map[string]signingKey, len(set.Keys))
	for _, raw := range set.Keys {
		var jwk jsonWebKey
		if err := json.Unmarshal(raw, &jwk); err != nil {
			continue // one odd key must not hide the others
		}
		k, ok := jwk.rsaKey()
		if !ok {
			continue
		}
		keys[jwk.Kid] = k
	}
	if len(keys) == 0 {
		return nil, errors.New("key set has no usable RSA signing key")
	}
	return keys, nil
}

// rsaKey converts an RSA signing JWK; ok is false for other or weak keys.
func (k jsonWebKey) rsaKey() (signingKey, bool) {
	if k.Kty != "RSA" || k.Kid == "" || (k.Use != "" && k.Use != "sig") {
		return signingKey{}, false
	}
	nb, err := base64.RawURLEncoding.DecodeString(k.N)
	if err != nil {
		return signingKey{}, false
	}
	eb, err := base64.RawURLEncoding.DecodeString(k.E)
	if err != nil || len(eb) == 0 || len(eb) > 4 {
		return signingKey{}, false
	}
	n := new(big.Int).SetBytes(nb)
	e := int(new(big.Int).SetBytes(eb).Int64())
	if n.BitLen() < minRSAKeyBits || e < 3 || e%2 == 0 {
		return signingKey{}, false
	}
	return signingKey{pub: &rsa.PublicKey{N: n, E: e}, endorsements: k.Endorsements}, true
}

// getJSON GETs url and decodes a JSON body of at most maxKeyDocumentBytes.
func getJSON(ctx context.Context, client *http.Client, url string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxKeyDocumentBytes))
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxKeyDocumentBytes+1))
	if err != nil {
		return err
	}
	if len(body) > maxKeyDocumentBytes {
		return fmt.Errorf("document larger than %d bytes", maxKeyDocumentBytes)
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("decode: %w", err)
	}
	return nil
}
