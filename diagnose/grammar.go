package diagnose

import (
	"strconv"
	"strings"
	"unicode"
)

// This file is the one place that makes sentences grammatical: counts
// with plurals ("1 entry", "3 entries"), "a" or "an" before a name ("an
// Adobe Creative Cloud account"), and verbs that agree with their subject
// ("You get", "Adele gets"). Every sentence provbot writes uses it.

// Count says n of a thing, with the noun (or the last word of a noun
// phrase) in the plural unless n is 1: Count(1, "entry") is "1 entry",
// Count(3, "failed attempt") is "3 failed attempts".
func Count(n int, noun string) string {
	if n == 1 || n == -1 {
		return strconv.Itoa(n) + " " + noun
	}
	return strconv.Itoa(n) + " " + Plural(noun)
}

// Count64 is Count for int64 counters.
func Count64(n int64, noun string) string {
	if n == 1 || n == -1 {
		return strconv.FormatInt(n, 10) + " " + noun
	}
	return strconv.FormatInt(n, 10) + " " + Plural(noun)
}

// Plural returns the plural of an English noun, or of the last word of a
// noun phrase: entry → entries, class → classes, attempt → attempts,
// "time" → "times". Words that end in a capital letter or digit (codes,
// acronyms) take a plain "s".
func Plural(noun string) string {
	i := strings.LastIndexByte(noun, ' ')
	head, w := noun[:i+1], noun[i+1:]
	if w == "" {
		return noun
	}
	if p, ok := irregularPlurals[strings.ToLower(w)]; ok {
		if unicode.IsUpper(rune(w[0])) {
			p = strings.ToUpper(p[:1]) + p[1:]
		}
		return head + p
	}
	last := rune(w[len(w)-1])
	if unicode.IsUpper(last) || unicode.IsDigit(last) {
		return head + w + "s"
	}
	lw := strings.ToLower(w)
	switch {
	case strings.HasSuffix(lw, "y") && len(lw) > 1 && !strings.ContainsRune("aeiou", rune(lw[len(lw)-2])):
		return head + w[:len(w)-1] + "ies"
	case strings.HasSuffix(lw, "s"), strings.HasSuffix(lw, "x"), strings.HasSuffix(lw, "z"),
		strings.HasSuffix(lw, "ch"), strings.HasSuffix(lw, "sh"):
		return head + w + "es"
	}
	return head + w + "s"
}

var irregularPlurals = map[string]string{
	"person": "people", "child": "children", "man": "men", "woman": "women", "data": "data", "information": "information",
}

// AOrAn returns "a" or "an" for the word that follows it, by sound: "an
// Adobe", "an hour", "an SMS code", "a user", "a UPN", "a one-time code".
func AOrAn(next string) string {
	w := strings.TrimLeft(next, " \"'“‘(")
	if w == "" {
		return "a"
	}
	word := w
	if i := strings.IndexAny(word, " -,.;:)”’'\""); i > 0 {
		word = word[:i]
	}
	lw := strings.ToLower(word)
	if isAcronym(word) {
		// Read letter by letter: "an SMS", "an HTTP", "a UPN", "a SCIM".
		if lw == "scim" || lw == "saml" || lw == "sql" {
			return "a"
		}
		if strings.ContainsRune("aefhilmnorsx", rune(lw[0])) {
			return "an"
		}
		return "a"
	}
	for _, p := range []string{"hour", "honest", "honor", "honour", "heir"} {
		if strings.HasPrefix(lw, p) {
			return "an"
		}
	}
	for _, p := range []string{"uni", "use", "usu", "uti", "ura", "eu", "one", "once", "ubi"} {
		if strings.HasPrefix(lw, p) {
			return "a"
		}
	}
	if unicode.IsDigit(rune(lw[0])) {
		// "an 8-hour", "an 11", "an 18": numbers read as words.
		if lw[0] == '8' || strings.HasPrefix(lw, "11") || strings.HasPrefix(lw, "18") && (len(lw) == 2 || !unicode.IsDigit(rune(lw[2]))) {
			return "an"
		}
		return "a"
	}
	if strings.ContainsRune("aeiou", rune(lw[0])) {
		return "an"
	}
	return "a"
}

// isAcronym reports whether a word is read letter by letter: two to five
// capitals.
func isAcronym(w string) bool {
	if len(w) < 2 || len(w) > 5 {
		return false
	}
	for _, r := range w {
		if !unicode.IsUpper(r) {
			return false
		}
	}
	return true
}

// Agree returns a present-tense verb (given in its base form: "get",
// "have", "do", "be") in the form that agrees with its subject: "you",
// "I", "we" and "they" take the base form ("You get"), anyone else the
// third person singular ("Adele gets", "Adele has").
func Agree(subject, verb string) string {
	s := strings.ToLower(strings.TrimSpace(subject))
	plural := s == "you" || s == "we" || s == "they"
	switch verb {
	case "be":
		switch {
		case s == "i":
			return "am"
		case plural:
			return "are"
		}
		return "is"
	case "have":
		if plural || s == "i" {
			return "have"
		}
		return "has"
	}
	if plural || s == "i" {
		return verb
	}
	return thirdPerson(verb)
}

// thirdPerson returns a verb's third person singular: get → gets, do →
// does, try → tries, watch → watches.
func thirdPerson(verb string) string {
	switch {
	case verb == "do" || verb == "go":
		return verb + "es"
	case strings.HasSuffix(verb, "y") && len(verb) > 1 && !strings.ContainsRune("aeiou", rune(verb[len(verb)-2])):
		return verb[:len(verb)-1] + "ies"
	case strings.HasSuffix(verb, "s"), strings.HasSuffix(verb, "x"), strings.HasSuffix(verb, "z"),
		strings.HasSuffix(verb, "ch"), strings.HasSuffix(verb, "sh"), strings.HasSuffix(verb, "o"):
		return verb + "es"
	}
	return verb + "s"
}

// actionNoun says what an entry's action asked for, as a noun phrase a
// sentence can use ("the create request for Adele"), never the action's
// bare name as a noun ("the other for Adele").
func actionNoun(e *Entry) string {
	switch e.Action {
	case ActionCreate:
		return "create request"
	case ActionUpdate:
		return "update request"
	case ActionDisable:
		return "disable request"
	case ActionDelete:
		return "delete request"
	case ActionStagedDelete:
		return "held removal"
	default:
		return "request"
	}
}
