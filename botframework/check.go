package botframework

import (
	"context"
	"log/slog"
	"net/http"
	"time"
)

// NewTokenSource returns the bot token source the server would use with
// this configuration (nil when authentication is disabled). The check
// command uses it to prove the bot can get its token before going live.
func (c Config) NewTokenSource(client *http.Client, logger *slog.Logger) (TokenSource, error) {
	if client == nil {
		client = &http.Client{Timeout: tokenFetchTimeout}
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return newConfigTokenSource(c, client, logger, time.Now)
}

// LoadSigningKeys fetches the Bot Connector's OpenID metadata and signing
// keys as inbound authentication will, and returns how many RSA keys were
// published. The check command uses it.
func (c Config) LoadSigningKeys(ctx context.Context, client *http.Client) (int, error) {
	if client == nil {
		client = &http.Client{Timeout: keyFetchTimeout}
	}
	kc := newKeyCache(c.channelMetadataURL(), client, time.Now, slog.New(slog.DiscardHandler))
	if err := kc.ensure(ctx); err != nil {
		return 0, err
	}
	kc.mu.Lock()
	defer kc.mu.Unlock()
	return len(kc.keys), nil
}

// SigningKeysURL is the OpenID metadata URL inbound tokens are checked
// against.
func (c Config) SigningKeysURL() string { return c.channelMetadataURL() }

// TokenURL is the endpoint the bot token comes from.
func (c Config) TokenURL() string { return c.tokenURL() }
