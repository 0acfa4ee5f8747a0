package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
)

// placeholderCredential stands in for a bot credential that is built only
// after the configuration has been validated (a certificate file is read,
// a managed identity is contacted).
type placeholderCredential struct{}

// GetToken always fails: the placeholder is never used to get a token.
func (placeholderCredential) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{}, errors.New("placeholder credential")
}

// botCredential builds the credential for the bot token when the bot uses
// a certificate (PROVBOT_BOT_CERTIFICATE_PATH) instead of
// MicrosoftAppPassword. It returns nil otherwise: the bot package gets the
// token with the password, or with the user-assigned managed identity
// whose client id is MicrosoftAppId.
func botCredential(c serveConfig) (azcore.TokenCredential, error) {
	switch {
	case c.BotCertificatePath != "":
		data, err := os.ReadFile(c.BotCertificatePath)
		if err != nil {
			return nil, fmt.Errorf("PROVBOT_BOT_CERTIFICATE_PATH: %w", err)
		}
		certs, key, err := azidentity.ParseCertificates(data, nil)
		if err != nil {
			return nil, fmt.Errorf("PROVBOT_BOT_CERTIFICATE_PATH: %w", err)
		}
		// The certificate signs in at the same authority as a password
		// would: the cloud's login host and the bot's tenant.
		host, tenant := c.Bot.LoginAuthority()
		opts := &azidentity.ClientCertificateCredentialOptions{ClientOptions: azcore.ClientOptions{
			Cloud: cloud.Configuration{ActiveDirectoryAuthorityHost: host + "/"}}}
		cred, err := azidentity.NewClientCertificateCredential(tenant, c.Bot.MicrosoftAppId, certs, key, opts)
		if err != nil {
			return nil, fmt.Errorf("bot certificate credential: %w", err)
		}
		return cred, nil
	}
	return nil, nil
}

// graphCredential builds the Microsoft Graph credential from azidentity's
// environment conventions: AZURE_TENANT_ID with AZURE_CLIENT_ID and
// AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH, workload identity,
// managed identity, or the Azure CLI's login; AZURE_AUTHORITY_HOST picks a
// national cloud's authority.
func graphCredential() (azcore.TokenCredential, error) {
	cred, err := azidentity.NewDefaultAzureCredential(nil)
	if err != nil {
		return nil, fmt.Errorf("graph credential (AZURE_* settings): %w", err)
	}
	return cred, nil
}
