package diagnose

// This file reads the SCIM error body an app returned, embedded in the
// provisioning service's reason text (RFC 7644 §3.12,
// https://datatracker.ietf.org/doc/html/rfc7644#section-3.12).
//
// The body arrives in many shapes: plain JSON after "Web Response:", JSON
// escaped once more (\"detail\":\"…\") when the reason was copied from a
// portal download, cut off at the reason's length limit, or with a status
// given as a number or a string. Whatever the shape, every text this file
// returns is a substring of the reason it read, so that it can be quoted
// verbatim.

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
)

// scimBody is what an app's SCIM error body says.
type scimBody struct {
	// scimType is the body's scimType as the app spelled it ("" when none).
	scimType string
	// status is the body's HTTP status (0 when none).
	status int
	// detail is the body's human-readable detail, verbatim: a substring of
	// the text it was read from ("" when none).
	detail string
	// raw is the whole body as it appears in the text, when it fits in a
	// quote and could be found whole; otherwise "".
	raw string
	// truncated is true when the body was cut off before it ended.
	truncated bool
}

// found reports whether the text held a SCIM error body at all.
func (b scimBody) found() bool { return b.scimType != "" || b.status != 0 || b.detail != "" }

// maxQuote is the longest quote a finding carries.
const maxQuote = 300

var (
	// The fields of a SCIM error body, read with patterns so that bodies
	// escaped once more, or cut off, are still read. The detail may be cut
	// off (no closing quote).
	scimTypeFieldRE = regexp.MustCompile(`(?i)\\?"scimType\\?"\s*:\s*\\?"([A-Za-z]+)`)
	scimStatusRE2   = regexp.MustCompile(`(?i)\\?"status\\?"\s*:\s*\\?"?(\d{3})\b`)
	scimDetailRE2   = regexp.MustCompile(`(?is)\\?"(?:detail|message|error_description|errorMessage)\\?"\s*:\s*\\?"(.*?)(?:\\?"\s*[,}\]]|$)`)
)

// readSCIMBody finds and reads the first JSON error body in text. It tries
// a real JSON decode from each '{' (the body may be wrapped in prose and
// followed by the service's retry sentence), then the body unescaped once,
// then field patterns for bodies that are cut off.
func readSCIMBody(text string) scimBody {
	if !strings.Contains(text, "{") {
		return scimBody{}
	}
	if b, ok := decodeBody(text, text); ok {
		return b
	}
	if strings.Contains(text, `\"`) {
		if un, ok := unescapeOnce(text); ok {
			if b, ok := decodeBody(un, text); ok {
				return b
			}
		}
	}
	return scanBody(text)
}

// decodeBody decodes the first JSON object in s that looks like an error
// body. Quotes are taken from orig (s itself, or the text s was unescaped
// from), so that they stay verbatim.
func decodeBody(s, orig string) (scimBody, bool) {
	for i := strings.IndexByte(s, '{'); i >= 0; {
		dec := json.NewDecoder(strings.NewReader(s[i:]))
		var m map[string]json.RawMessage
		if err := dec.Decode(&m); err == nil {
			if b, ok := bodyFromMap(m, orig); ok {
				end := i + int(dec.InputOffset())
				if s == orig && end-i <= maxQuote {
					b.raw = s[i:end]
				}
				return b, true
			}
		}
		j := strings.IndexByte(s[i+1:], '{')
		if j < 0 {
			break
		}
		i += j + 1
	}
	return scimBody{}, false
}

// bodyFromMap reads an error body's fields, ignoring the case of their
// names; ok is false when the object is not an error body.
func bodyFromMap(m map[string]json.RawMessage, orig string) (scimBody, bool) {
	var b scimBody
	for k, v := range m {
		switch strings.ToLower(k) {
		case "scimtype":
			var s string
			if json.Unmarshal(v, &s) == nil {
				b.scimType = s
			}
		case "status":
			b.status = statusValue(v)
		case "detail", "message", "error_description", "errormessage":
			if b.detail == "" {
				b.detail = verbatimValue(v, orig)
			}
		case "error", "errors", "response":
			// Nested error objects: {"error":{"message":…}},
			// {"errors":[{"message":…}]}, Pulumi's {"response":{…}}.
			if nb, ok := nestedBody(v, orig); ok {
				if b.scimType == "" {
					b.scimType = nb.scimType
				}
				if b.status == 0 {
					b.status = nb.status
				}
				if b.detail == "" {
					b.detail = nb.detail
				}
			}
		}
	}
	return b, b.found()
}

// nestedBody reads an error body nested in an object or in the first
// element of an array.
func nestedBody(v json.RawMessage, orig string) (scimBody, bool) {
	var m map[string]json.RawMessage
	if json.Unmarshal(v, &m) == nil {
		return bodyFromMap(m, orig)
	}
	var arr []map[string]json.RawMessage
	if json.Unmarshal(v, &arr) == nil && len(arr) > 0 {
		return bodyFromMap(arr[0], orig)
	}
	return scimBody{}, false
}

// statusValue reads a status given as a number (409) or a string ("409").
func statusValue(v json.RawMessage) int {
	var n int
	if json.Unmarshal(v, &n) == nil {
		return validStatus(n)
	}
	var s string
	if json.Unmarshal(v, &s) == nil {
		if n, err := strconv.Atoi(strings.TrimSpace(s)); err == nil {
			return validStatus(n)
		}
	}
	return 0
}

func validStatus(n int) int {
	if n < 100 || n > 599 {
		return 0
	}
	return n
}

// verbatimValue returns a JSON value as it can be quoted from orig: a
// string's decoded text when orig holds it unchanged, else its text with
// the escapes it has on the wire; an object's or array's JSON text when
// orig holds it. "" when neither appears in orig.
func verbatimValue(v json.RawMessage, orig string) string {
	var s string
	if json.Unmarshal(v, &s) == nil {
		if s = strings.TrimSpace(s); s != "" && strings.Contains(orig, s) {
			return s
		}
		wire := strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(string(v), `"`), `"`))
		if wire != "" && strings.Contains(orig, wire) {
			return wire
		}
		return ""
	}
	if raw := strings.TrimSpace(string(v)); raw != "" && raw != "null" && strings.Contains(orig, raw) {
		return raw
	}
	return ""
}

// unescapeOnce undoes one level of JSON string escaping (\" → ", \\ → \,
// \n → newline), as when a body was pasted from a portal download.
func unescapeOnce(s string) (string, bool) {
	var out string
	if err := json.Unmarshal([]byte(`"`+strings.ReplaceAll(s, "\n", `\n`)+`"`), &out); err != nil {
		// Stray quotes or control characters: undo only the escaped quotes.
		return strings.ReplaceAll(strings.ReplaceAll(s, `\\`, `\`), `\"`, `"`), true
	}
	return out, true
}

// scanBody reads a body's fields with patterns, for bodies that are cut
// off or are not JSON any decoder accepts.
func scanBody(text string) scimBody {
	var b scimBody
	if m := scimTypeFieldRE.FindStringSubmatch(text); m != nil {
		b.scimType = m[1]
	}
	if m := scimStatusRE2.FindStringSubmatch(text); m != nil {
		n, _ := strconv.Atoi(m[1])
		b.status = validStatus(n)
	}
	if loc := scimDetailRE2.FindStringSubmatchIndex(text); loc != nil {
		d := strings.TrimSpace(text[loc[2]:loc[3]])
		d = strings.TrimSuffix(d, `\`)
		b.detail = d
		b.truncated = loc[1] == len(text) && !strings.HasSuffix(strings.TrimSpace(text), "}")
	}
	if !b.found() {
		return scimBody{}
	}
	if !strings.Contains(text[strings.IndexByte(text, '{'):], "}") {
		b.truncated = true
	}
	return b
}
