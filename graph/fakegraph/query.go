package fakegraph

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// queryOptions are the OData system query options of one request.
type queryOptions struct {
	present   map[string]bool // lower-case option names present, with "$"
	filter    string
	hasFilter bool
	top       int // 0 when absent
	selects   []string
	orderBy   []orderTerm
	count     bool
	skip      *pageToken
	search    string
}

type orderTerm struct {
	prop string
	desc bool
}

// odataOptions are the system query options OData defines; anything else
// starting with "$" is unrecognized.
func isODataOption(name string) bool {
	switch name {
	case "$filter", "$top", "$select", "$orderby", "$count", "$skiptoken", "$search",
		"$expand", "$skip", "$format", "$apply", "$compute", "$index", "$levels", "$deltatoken", "$schemaversion", "$id":
		return true
	}
	return false
}

// parseQuery reads the query string. allowed lists the options the route
// supports (lower case, with "$"); others are refused the way Graph does.
// Parameters without "$" are ignored, as Graph ignores unknown ones.
func parseQuery(raw string, allowed []string, directory bool) (*queryOptions, *apiError) {
	values, err := url.ParseQuery(raw)
	if err != nil {
		return nil, newError(http.StatusBadRequest, codeBadRequest, "The query string is malformed: %s", err.Error())
	}
	q := &queryOptions{present: map[string]bool{}}
	for name, vs := range values {
		lname := strings.ToLower(name)
		if !strings.HasPrefix(lname, "$") {
			continue
		}
		if !isODataOption(lname) {
			return nil, newError(http.StatusBadRequest, codeBadRequest, "Unrecognized query argument specified: '%s'.", name)
		}
		if q.present[lname] || len(vs) > 1 {
			return nil, newError(http.StatusBadRequest, codeBadRequest,
				"Query option '%s' was specified more than once, but it must be specified at most once.", name)
		}
		if !contains(allowed, lname) {
			if directory {
				return nil, newError(http.StatusBadRequest, codeDirBadRequest, "'%s' is not supported by the service.", name)
			}
			return nil, newError(http.StatusBadRequest, codeBadRequest,
				"The query specified in the URI is not valid. Query option '%s' is not allowed.", strings.TrimPrefix(name, "$"))
		}
		q.present[lname] = true
		v := vs[0]
		switch lname {
		case "$filter":
			q.filter, q.hasFilter = v, true
		case "$top":
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil || n < 0 {
				return nil, newError(http.StatusBadRequest, codeBadRequest,
					"Invalid value '%s' for $top query option found. The $top query option requires a non-negative integer value.", v)
			}
			q.top = n
		case "$select":
			for _, p := range strings.Split(v, ",") {
				p = strings.TrimSpace(p)
				if p == "" {
					return nil, newError(http.StatusBadRequest, codeBadRequest, "Syntax error at position %d in '%s'.", len(v), v)
				}
				q.selects = append(q.selects, p)
			}
		case "$orderby":
			for _, part := range strings.Split(v, ",") {
				fields := strings.Fields(part)
				if len(fields) == 0 || len(fields) > 2 {
					return nil, newError(http.StatusBadRequest, codeBadRequest, "Syntax error at position %d in '%s'.", len(v), v)
				}
				t := orderTerm{prop: fields[0]}
				if len(fields) == 2 {
					switch strings.ToLower(fields[1]) {
					case "asc":
					case "desc":
						t.desc = true
					default:
						return nil, newError(http.StatusBadRequest, codeBadRequest, "Syntax error at position %d in '%s'.", len(v), v)
					}
				}
				q.orderBy = append(q.orderBy, t)
			}
		case "$count":
			switch strings.ToLower(v) {
			case "true":
				q.count = true
			case "false":
			default:
				return nil, newError(http.StatusBadRequest, codeBadRequest, "'%s' is not a valid count option.", v)
			}
		case "$skiptoken":
			tok, ok := decodePageToken(v)
			if !ok {
				return nil, newError(http.StatusBadRequest, codeDirBadRequest, "Invalid $skiptoken value '%s'.", v)
			}
			q.skip = tok
		case "$search":
			q.search = v
		}
	}
	return q, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// pageToken is what $skiptoken carries: the offset of the next page and
// its 1-based page number (used by Matcher.Page). It is opaque to
// clients, as Graph's is.
type pageToken struct {
	Offset int `json:"o"`
	Page   int `json:"p"`
}

func (t pageToken) encode() string {
	data, _ := json.Marshal(t)
	return base64.RawURLEncoding.EncodeToString(data)
}

func decodePageToken(s string) (*pageToken, bool) {
	data, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, false
	}
	var t pageToken
	if err := json.Unmarshal(data, &t); err != nil || t.Offset < 0 || t.Page < 2 {
		return nil, false
	}
	return &t, true
}

// queryValue returns the first value of a query option, matching its
// name without regard to case ("$filter", "$Filter").
func queryValue(r *http.Request, name string) string {
	for k, vs := range r.URL.Query() {
		if strings.EqualFold(k, name) && len(vs) > 0 {
			return vs[0]
		}
	}
	return ""
}

// pageOf returns the page number a request asks for: 1 without
// $skiptoken, else the number the token carries (0 if it is invalid).
func pageOf(r *http.Request) int {
	raw := queryValue(r, "$skiptoken")
	if raw == "" {
		return 1
	}
	t, ok := decodePageToken(raw)
	if !ok {
		return 0
	}
	return t.Page
}

// nextLinkQuery rebuilds the raw query string of r for the next page:
// every parameter but $skiptoken, in order, then the new $skiptoken.
func nextLinkQuery(raw string, tok pageToken) string {
	var parts []string
	for _, part := range strings.Split(raw, "&") {
		if part == "" {
			continue
		}
		key := part
		if i := strings.IndexByte(part, '='); i >= 0 {
			key = part[:i]
		}
		if k, err := url.QueryUnescape(key); err == nil && strings.EqualFold(k, "$skiptoken") {
			continue
		}
		parts = append(parts, part)
	}
	parts = append(parts, "$skiptoken="+tok.encode())
	return strings.Join(parts, "&")
}
