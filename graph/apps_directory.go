package graph

import (
	"context"
	"strings"
	"unicode"

	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/serviceprincipals"

	"github.com/provbot/provbot/diagnose"
)

// opSearchApps finds enterprise apps by the start of their name.
// https://learn.microsoft.com/graph/api/serviceprincipal-list
var opSearchApps = operation{name: "search service principals", route: "GET /servicePrincipals", permission: "Application.Read.All"}

// AppCatalog returns the apps that provision users by id and name only
// (Jobs not read, JobsKnown false), by name: what the conversation reads
// questions with. Once the catalog is built it costs no request (a stale
// one is served while a new one is built in the background).
func (c *Client) AppCatalog(ctx context.Context) (apps []diagnose.App, err error) {
	defer c.recoverAs(&err, "list apps")
	infos, err := c.appCatalog(ctx)
	if err != nil {
		return nil, err
	}
	apps = make([]diagnose.App, len(infos))
	for i, a := range infos {
		apps[i] = diagnose.App{ID: a.id, Name: a.name}
	}
	return apps, nil
}

// maxDirectoryApps is how many apps outside the catalog a name search
// returns.
const maxDirectoryApps = maxSuggestions

// appsOutsideCatalog finds enterprise apps that are not in the catalog
// (no provisioning job when it was built: single sign-on only, or set up
// since) whose display names start with the first word of name, with
// their jobs. One request, then one jobs request per app found (at most
// maxDirectoryApps, in parallel).
//
// https://learn.microsoft.com/graph/api/serviceprincipal-list
func (c *Client) appsOutsideCatalog(ctx context.Context, name string, catalog []appInfo) ([]diagnose.App, error) {
	first := strings.FieldsFunc(name, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	if len(first) == 0 || len([]rune(first[0])) < 3 {
		return nil, nil
	}
	filter := "servicePrincipalType eq 'Application' and startswith(displayName," + mustQuote(first[0]) + ")"
	top := int32(maxDirectoryApps + len(catalog))
	var resp models.ServicePrincipalCollectionResponseable
	err := c.send(ctx, opSearchApps, func(ctx context.Context) error {
		var err error
		resp, err = c.spBuilder().Get(ctx, &serviceprincipals.ServicePrincipalsRequestBuilderGetRequestConfiguration{
			QueryParameters: &serviceprincipals.ServicePrincipalsRequestBuilderGetQueryParameters{Filter: &filter, Select: spSelect, Top: &top},
		})
		return err
	})
	if err != nil || resp == nil {
		return nil, err
	}
	inCatalog := map[string]bool{}
	for _, a := range catalog {
		inCatalog[lowerID(a.id)] = true
	}
	var found []appInfo
	for _, sp := range resp.GetValue() {
		if sp == nil || len(found) == maxDirectoryApps {
			continue
		}
		if owner := sp.GetAppOwnerOrganizationId(); owner != nil && microsoftTenants[strings.ToLower(owner.String())] {
			continue
		}
		if a := appFromModel(sp); !inCatalog[lowerID(a.id)] {
			found = append(found, a)
		}
	}
	return c.withJobs(ctx, found, false), nil
}
