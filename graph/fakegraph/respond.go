package fakegraph

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"
)

// contentType is what Graph sends with a JSON answer.
const contentType = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8"

// response is an answer before it is written, so faults can alter it.
type response struct {
	status int
	header http.Header
	body   []byte
	err    *apiError // set for error answers; body is rendered when written
}

func errResponse(e *apiError) response { return response{status: e.status, err: e} }

// jsonResponse renders v with HTML escaping off, so text such as "<" or
// "&" comes back as it was stored.
func jsonResponse(status int, v any) response {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return errResponse(newError(http.StatusInternalServerError, "InternalServerError", "fakegraph: encode answer: %v", err))
	}
	return response{status: status, body: bytes.TrimRight(buf.Bytes(), "\n")}
}

// orderRule says how a route sorts by one property.
type orderRule struct {
	wire     []string
	typ      edmType
	advanced bool // only with advanced query parameters
}

// listSpec describes one collection route.
type listSpec struct {
	entity       *entity
	filter       *filterSchema // nil: $filter is refused
	context      string        // the part after "$metadata#"
	orderBy      map[string]orderRule
	defaultOrder []orderTerm
	maxTop       int
	directory    bool
	// topForNext: a nextLink is produced only when $top was sent. The beta
	// provisioning page says a $skiptoken is produced only with $top.
	// https://learn.microsoft.com/graph/api/provisioningobjectsummary-list?view=graph-rest-beta
	topForNext bool
	odataType  string // added to every item, e.g. "#microsoft.graph.group"
}

// list answers a collection request: filter, order, count, page, select.
func (c *call) list(items []Object, q *queryOptions, spec listSpec) response {
	advanced := c.advanced(q)
	if q.present["$search"] {
		if !c.consistencyEventual() {
			return errResponse(newError(http.StatusBadRequest, codeUnsupportedQuery,
				"Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'"))
		}
		return errResponse(newError(http.StatusBadRequest, codeUnsupportedQuery, "The fakegraph fake does not implement $search."))
	}
	if q.hasFilter {
		if spec.filter == nil {
			return errResponse(newError(http.StatusBadRequest, codeUnsupportedQuery, "Unsupported Query."))
		}
		match, err := compileFilter(q.filter, spec.filter, advanced)
		if err != nil {
			return errResponse(err)
		}
		var kept []Object
		for _, o := range items {
			if match(o) {
				kept = append(kept, o)
			}
		}
		items = kept
	}
	order, err := c.ordering(q, spec, advanced)
	if err != nil {
		return errResponse(err)
	}
	items = sortObjects(items, order, spec.orderBy)

	size := c.s.pageSize
	if q.present["$top"] {
		if q.top < 1 || q.top > spec.maxTop {
			if spec.directory {
				return errResponse(newError(http.StatusBadRequest, codeUnsupportedQuery,
					"Invalid page size specified: '%d'. Must be between 1 and %d inclusive.", q.top, spec.maxTop))
			}
			return errResponse(newError(http.StatusBadRequest, codeBadRequest,
				"Invalid $top value '%d'. The $top query option must be between 1 and %d.", q.top, spec.maxTop))
		}
		size = q.top
	}
	offset, page := 0, 1
	if q.skip != nil {
		offset, page = q.skip.Offset, q.skip.Page
	}
	total := len(items)
	if offset > total {
		offset = total
	}
	end := min(offset+size, total)
	pageItems := items[offset:end]

	sel, serr := c.selection(q.selects, spec.entity, items)
	if serr != nil {
		return errResponse(serr)
	}
	values := make([]Object, 0, len(pageItems))
	for _, o := range pageItems {
		values = append(values, project(o, spec.entity, sel, spec.odataType))
	}
	out := map[string]any{
		"@odata.context": c.contextURL(spec.context, sel),
		"value":          values,
	}
	if advanced && q.count && spec.directory {
		out["@odata.count"] = total
	}
	if end < total && (!spec.topForNext || q.present["$top"]) {
		tok := pageToken{Offset: end, Page: page + 1}
		out["@odata.nextLink"] = c.base + c.r.URL.EscapedPath() + "?" + nextLinkQuery(c.r.URL.RawQuery, tok)
	}
	return jsonResponse(http.StatusOK, out)
}

// one answers a single-entity request.
func (c *call) one(o Object, q *queryOptions, e *entity, context string) response {
	sel, err := c.selection(q.selects, e, []Object{o})
	if err != nil {
		return errResponse(err)
	}
	out := project(o, e, sel, "")
	out["@odata.context"] = c.contextURL(context, sel) + "/$entity"
	return jsonResponse(http.StatusOK, out)
}

// contextURL is the @odata.context of an answer on this server.
func (c *call) contextURL(context string, sel []string) string {
	u := c.base + "/" + c.version + "/$metadata#" + context
	if len(sel) > 0 {
		u += "(" + strings.Join(sel, ",") + ")"
	}
	return u
}

// selection checks $select names: a documented property of the type, or
// one present in the data. It returns the names in the spelling served.
func (c *call) selection(names []string, e *entity, items []Object) ([]string, *apiError) {
	var out []string
	for _, n := range names {
		if n == "*" {
			return nil, nil
		}
		if p, ok := e.known[strings.ToLower(n)]; ok {
			out = append(out, p)
			continue
		}
		found := ""
		for _, o := range items {
			for k := range o {
				if strings.EqualFold(k, n) {
					found = k
					break
				}
			}
			if found != "" {
				break
			}
		}
		if found == "" {
			return nil, newError(http.StatusBadRequest, codeBadRequest,
				"Parsing OData Select and Expand failed: Could not find a property named '%s' on type '%s'.", n, e.typeName)
		}
		out = append(out, found)
	}
	return out, nil
}

// project returns what Graph would send for o: the selected properties,
// else the type's default properties, else every stored property. Missing
// properties come back as null ([] for collections of the default set).
func project(o Object, e *entity, sel []string, odataType string) Object {
	out := Object{}
	pick := func(names []string) {
		for _, n := range names {
			v, ok := lookup(o, []string{n})
			if !ok {
				v = nil
				if n == "businessPhones" {
					v = []any{}
				}
			}
			out[n] = v
		}
	}
	switch {
	case len(sel) > 0:
		pick(sel)
	case e.defaults != nil:
		pick(e.defaults)
	default:
		for k, v := range o {
			out[k] = v
		}
	}
	if odataType != "" {
		out["@odata.type"] = odataType
	}
	return out
}

// ordering validates $orderby for spec and returns the terms to sort by.
func (c *call) ordering(q *queryOptions, spec listSpec, advanced bool) ([]orderTerm, *apiError) {
	if len(q.orderBy) == 0 {
		return spec.defaultOrder, nil
	}
	if spec.directory && q.hasFilter && !advanced {
		return nil, newError(http.StatusBadRequest, codeUnsupportedQuery, msgSortNeedsAdvanced)
	}
	var out []orderTerm
	for _, t := range q.orderBy {
		key := strings.ToLower(t.prop)
		rule, ok := spec.orderBy[key]
		switch {
		case !ok && spec.entity.known[key] == "":
			return nil, newError(http.StatusBadRequest, codeBadRequest,
				"Could not find a property named '%s' on type '%s'.", t.prop, spec.entity.typeName)
		case !ok && spec.directory:
			return nil, newError(http.StatusBadRequest, codeUnsupportedQuery, msgSortNeedsAdvanced)
		case !ok:
			return nil, newError(http.StatusBadRequest, codeBadRequest,
				"The query specified in the URI is not valid. The property '%s' cannot be used in the $orderby query option.", t.prop)
		case rule.advanced && !advanced:
			return nil, newError(http.StatusBadRequest, codeUnsupportedQuery, msgSortNeedsAdvanced)
		}
		out = append(out, orderTerm{prop: key, desc: t.desc})
	}
	return out, nil
}

// sortObjects sorts a copy of items by terms; ties keep data order.
func sortObjects(items []Object, terms []orderTerm, rules map[string]orderRule) []Object {
	out := append([]Object(nil), items...)
	if len(terms) == 0 {
		return out
	}
	sort.SliceStable(out, func(i, j int) bool {
		for _, t := range terms {
			rule := rules[strings.ToLower(t.prop)]
			c := compareValues(rule, out[i], out[j])
			if c == 0 {
				continue
			}
			if t.desc {
				return c > 0
			}
			return c < 0
		}
		return false
	})
	return out
}

func compareValues(rule orderRule, a, b Object) int {
	va, _ := lookup(a, rule.wire)
	vb, _ := lookup(b, rule.wire)
	switch rule.typ {
	case edmDateTime:
		return timeOf(va).Compare(timeOf(vb))
	case edmInt:
		fa, _ := number(va)
		fb, _ := number(vb)
		switch {
		case fa < fb:
			return -1
		case fa > fb:
			return 1
		}
		return 0
	}
	sa, _ := va.(string)
	sb, _ := vb.(string)
	return strings.Compare(strings.ToLower(sa), strings.ToLower(sb))
}

// timeOf parses a stored date; an empty or odd value sorts as the zero
// time.
func timeOf(v any) time.Time {
	s, _ := v.(string)
	t, _ := parseDateTime(s)
	return t
}

// quoteKey renders an entity key for @odata.context, e.g. ('id').
func quoteKey(id string) string {
	return fmt.Sprintf("('%s')", strings.ReplaceAll(id, "'", "''"))
}
