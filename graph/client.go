package graph

import (
	"errors"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	abstractions "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoft/kiota-abstractions-go/authentication"
	absser "github.com/microsoft/kiota-abstractions-go/serialization"
	formser "github.com/microsoft/kiota-serialization-form-go"
	jsonser "github.com/microsoft/kiota-serialization-json-go"
	multipartser "github.com/microsoft/kiota-serialization-multipart-go"
	textser "github.com/microsoft/kiota-serialization-text-go"
	msgraphsdk "github.com/microsoftgraph/msgraph-sdk-go"
	azauth "github.com/microsoftgraph/msgraph-sdk-go-core/authentication"
	"github.com/microsoftgraph/msgraph-sdk-go/auditlogs"
	"github.com/microsoftgraph/msgraph-sdk-go/directory"
	"github.com/microsoftgraph/msgraph-sdk-go/serviceprincipals"
	"github.com/microsoftgraph/msgraph-sdk-go/users"
	"golang.org/x/sync/singleflight"

	"github.com/provbot/provbot/diagnose"
)

// Client reads what a provisioning diagnosis needs from Microsoft Graph.
// It is safe for concurrent use; one Client serves one tenant and owns that
// tenant's reporting budget, so share it rather than making several.
type Client struct {
	cfg     config
	log     *slog.Logger
	adapter abstractions.RequestAdapter
	base    string // Graph base URL with its version, no trailing slash
	beta    string // the beta base URL; "" when it cannot be derived

	budget   *budget // nil: unlimited
	logs     *logBatcher
	entries  *ttlCache[lookupKey, logResult]
	jobs     *ttlCache[string, []diagnose.Job]
	scopes   *ttlCache[string, scopeInfo]
	joins    *ttlCache[string, memberJoins]
	helpDesk *ttlCache[string, bool]
	counts   *ttlCache[string, int]             // app id → number of assignments
	grants   *ttlCache[string, []assignmentRef] // group id → its app role assignments
	catalog  catalogCache
	flight   singleflight.Group
	act      actionState // the write actions (action_*.go)

	sharedWarns sync.Map     // warning → *warnLimit (sharedWarn)
	queueDown   atomic.Int64 // Unix ns until which the shared queue is left alone (queueWarn)
}

// New returns a client that authenticates with cred (any azidentity
// credential: client secret, certificate, managed or workload identity,
// Azure CLI). Tokens are requested for the base URL's host
// ("https://graph.microsoft.com/.default" by default), so national-cloud
// base URLs work with a credential whose authority host matches.
func New(cred azcore.TokenCredential, opts ...Option) (*Client, error) {
	cfg := defaultConfig()
	for _, o := range opts {
		o(&cfg)
	}
	if cred == nil {
		cfg.invalid("credential is nil")
	}
	u, err := parseBaseURL(cfg.baseURL)
	if err != nil {
		cfg.invalid("%v", err)
	} else if u.Scheme != "https" && !isLoopback(u.Hostname()) {
		cfg.invalid("base URL %q: Graph needs https", cfg.baseURL)
	}
	if err := cfg.err(); err != nil {
		return nil, err
	}
	scope := u.Scheme + "://" + u.Host + "/.default"
	auth, err := azauth.NewAzureIdentityAuthenticationProviderWithScopesAndValidHosts(cred, []string{scope}, []string{u.Hostname()})
	if err != nil {
		return nil, invalidInput("configure client", "authentication: %v", err)
	}
	c, err := newAdapterClient(auth, cfg)
	if err != nil {
		return nil, err
	}
	c.act.cred, c.act.scope = cred, scope
	return c, nil
}

// NewUnauthenticated returns a client that sends no Authorization header,
// for the demo and tests against a local fake Graph (package fakegraph).
// It refuses any base URL that is not http(s) on a loopback address.
func NewUnauthenticated(baseURL string, opts ...Option) (*Client, error) {
	cfg := defaultConfig()
	for _, o := range opts {
		o(&cfg)
	}
	cfg.baseURL = baseURL
	u, err := parseBaseURL(baseURL)
	if err != nil {
		cfg.invalid("%v", err)
	} else if !isLoopback(u.Hostname()) {
		cfg.invalid("base URL %q: an unauthenticated client only talks to a loopback address", baseURL)
	}
	if err := cfg.err(); err != nil {
		return nil, err
	}
	return newAdapterClient(&authentication.AnonymousAuthenticationProvider{}, cfg)
}

// NewFromAdapter returns a client over a ready request adapter (a test
// seam). With WithBaseURL, or when the adapter has no base URL yet, the
// adapter's base URL is set before any request builder is made: request
// builders copy it when they are created.
func NewFromAdapter(a abstractions.RequestAdapter, opts ...Option) (*Client, error) {
	cfg := defaultConfig()
	cfg.baseURL = ""
	for _, o := range opts {
		o(&cfg)
	}
	if a == nil {
		cfg.invalid("request adapter is nil")
	} else {
		switch {
		case cfg.baseURL != "":
			a.SetBaseUrl(cfg.baseURL)
		case a.GetBaseUrl() == "":
			a.SetBaseUrl(DefaultBaseURL)
		}
		cfg.baseURL = a.GetBaseUrl()
		if _, err := parseBaseURL(cfg.baseURL); err != nil {
			cfg.invalid("%v", err)
		}
	}
	if err := cfg.err(); err != nil {
		return nil, err
	}
	return newClient(a, cfg), nil
}

// newAdapterClient builds msgraph-sdk-go's request adapter over the
// client's own HTTP pipeline.
func newAdapterClient(auth authentication.AuthenticationProvider, cfg config) (*Client, error) {
	registerSerializers()
	a, err := msgraphsdk.NewGraphRequestAdapterWithParseNodeFactoryAndSerializationWriterFactoryAndHttpClient(
		auth, nil, nil, newHTTPClient(cfg.httpClient))
	if err != nil {
		return nil, invalidInput("configure client", "request adapter: %v", err)
	}
	a.SetBaseUrl(strings.TrimRight(cfg.baseURL, "/"))
	return newClient(a, cfg), nil
}

func newClient(a abstractions.RequestAdapter, cfg config) *Client {
	registerSerializers()
	c := &Client{
		cfg:      cfg,
		log:      cfg.logger.With("component", "graph"),
		adapter:  a,
		base:     strings.TrimRight(cfg.baseURL, "/"),
		entries:  newTTLCache[lookupKey, logResult](cfg.now, cfg.entryTTL, maxCachedUsers),
		jobs:     newTTLCache[string, []diagnose.Job](cfg.now, cfg.jobTTL, 5000),
		scopes:   newTTLCache[string, scopeInfo](cfg.now, cfg.jobTTL, 5000),
		joins:    newTTLCache[string, memberJoins](cfg.now, cfg.entryTTL, 5000),
		helpDesk: newTTLCache[string, bool](cfg.now, helpDeskTTL, 10000),
		counts:   newTTLCache[string, int](cfg.now, cfg.appTTL, 10000),
		grants:   newTTLCache[string, []assignmentRef](cfg.now, cfg.jobTTL, 20000),
	}
	c.beta = betaURL(c.base)
	c.act = newActionState(cfg.now, cfg.jobTTL)
	switch {
	case cfg.shared != nil:
		c.budget = newSharedBudget(cfg.shared, c.log, cfg.idle)
	case cfg.budgetN > 0:
		c.budget = newBudget(cfg.budgetN, cfg.budgetPer, cfg.now, cfg.sleep, cfg.idle)
	}
	c.logs = newLogBatcher(c)
	return c
}

// maxCachedUsers bounds the entry cache: up to this many users' entries
// (each up to the log cap) are kept for the entry TTL.
const maxCachedUsers = 500

var registerOnce sync.Once

// registerSerializers registers kiota's serializers once, as
// msgraph-sdk-go's service client constructor would. The client builds
// its request builders directly instead of through
// msgraphsdk.NewGraphServiceClient, whose constructor also overwrites the
// global store.BackingStoreFactoryInstance each time it runs: a data race
// with any model being decoded concurrently.
func registerSerializers() {
	registerOnce.Do(func() {
		abstractions.RegisterDefaultSerializer(func() absser.SerializationWriterFactory { return jsonser.NewJsonSerializationWriterFactory() })
		abstractions.RegisterDefaultSerializer(func() absser.SerializationWriterFactory { return textser.NewTextSerializationWriterFactory() })
		abstractions.RegisterDefaultSerializer(func() absser.SerializationWriterFactory { return formser.NewFormSerializationWriterFactory() })
		abstractions.RegisterDefaultSerializer(func() absser.SerializationWriterFactory {
			return multipartser.NewMultipartSerializationWriterFactory()
		})
		abstractions.RegisterDefaultDeserializer(func() absser.ParseNodeFactory { return jsonser.NewJsonParseNodeFactory() })
		abstractions.RegisterDefaultDeserializer(func() absser.ParseNodeFactory { return textser.NewTextParseNodeFactory() })
		abstractions.RegisterDefaultDeserializer(func() absser.ParseNodeFactory { return formser.NewFormParseNodeFactory() })
	})
}

// params returns fresh path parameters for a request builder.
func (c *Client) params() map[string]string { return map[string]string{"baseurl": c.base} }

func (c *Client) usersBuilder() *users.UsersRequestBuilder {
	return users.NewUsersRequestBuilderInternal(c.params(), c.adapter)
}

func (c *Client) spBuilder() *serviceprincipals.ServicePrincipalsRequestBuilder {
	return serviceprincipals.NewServicePrincipalsRequestBuilderInternal(c.params(), c.adapter)
}

func (c *Client) auditBuilder() *auditlogs.AuditLogsRequestBuilder {
	return auditlogs.NewAuditLogsRequestBuilderInternal(c.params(), c.adapter)
}

func (c *Client) directoryBuilder() *directory.DirectoryRequestBuilder {
	return directory.NewDirectoryRequestBuilderInternal(c.params(), c.adapter)
}

// parseBaseURL checks a Graph base URL.
func parseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, errors.New("base URL " + strings.TrimSpace(raw) + ": " + err.Error())
	}
	if (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, errors.New("base URL " + strings.TrimSpace(raw) + ": want http(s)://host/version")
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, errors.New("base URL " + strings.TrimSpace(raw) + ": no query or fragment allowed")
	}
	return u, nil
}

// isLoopback reports whether host is localhost or a loopback address.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// betaURL derives the beta endpoint from a base URL ending in /v1.0.
func betaURL(base string) string {
	i := strings.LastIndex(base, "/")
	if i < 0 {
		return ""
	}
	switch strings.ToLower(base[i+1:]) {
	case "v1.0":
		return base[:i] + "/beta"
	case "beta":
		return base
	}
	return ""
}
