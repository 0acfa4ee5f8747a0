package botframework

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
)

// NewCredentialTokenSource adapts an azcore.TokenCredential (an azidentity
// certificate, workload identity or managed identity credential) to a
// caching [TokenSource] for one scope, e.g.
// [DefaultToChannelFromBotOAuthScope] ("/.default" is appended when
// missing).
func NewCredentialTokenSource(cred azcore.TokenCredential, scope string, logger *slog.Logger, now func() time.Time) (TokenSource, error) {
	if cred == nil {
		return nil, errors.New("bot token: credential is nil")
	}
	if scope == "" {
		return nil, errors.New("bot token: scope is required")
	}
	scope = defaultScope(scope)
	fetch := func(ctx context.Context) (string, time.Time, error) {
		tok, err := cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{scope}})
		if err != nil {
			return "", time.Time{}, fmt.Errorf("get bot token: %w", err)
		}
		if tok.Token == "" {
			return "", time.Time{}, errors.New("get bot token: credential returned an empty token")
		}
		return tok.Token, tok.ExpiresOn, nil
	}
	return newCachingTokenSource(fetch, now, logger), nil
}

// newConfigTokenSource builds the bot's TokenSource from the settings: none
// when authentication is disabled; cfg.Credential when set; a user-assigned
// managed identity for UserAssignedMSI; otherwise the client secret against
// ToChannelFromBotLoginUrl.
func newConfigTokenSource(cfg Config, client *http.Client, logger *slog.Logger, now func() time.Time) (TokenSource, error) {
	switch {
	case cfg.AuthDisabled():
		return nil, nil
	case cfg.Credential != nil:
		return NewCredentialTokenSource(cfg.Credential, cfg.scope(), logger, now)
	case cfg.appType() == UserAssignedMSI:
		cred, err := azidentity.NewManagedIdentityCredential(&azidentity.ManagedIdentityCredentialOptions{
			ID: azidentity.ClientID(cfg.MicrosoftAppId),
		})
		if err != nil {
			return nil, fmt.Errorf("managed identity credential: %w", err)
		}
		return NewCredentialTokenSource(cred, cfg.scope(), logger, now)
	default:
		return NewClientSecretTokenSource(ClientCredentials{
			TokenURL:     cfg.tokenURL(),
			ClientID:     cfg.MicrosoftAppId,
			ClientSecret: cfg.MicrosoftAppPassword,
			Scope:        cfg.scope(),
			HTTPClient:   client,
			Logger:       logger,
			Now:          now,
		})
	}
}
