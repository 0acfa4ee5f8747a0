package graph

import (
	"strings"
	"testing"
)

func TestQuoteDoublesQuotesAndRefusesControlCharacters(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		bad      bool
	}{
		{in: "Ada", want: "'Ada'"},
		{in: "O'Brien", want: "'O''Brien'"},
		{in: "x' or 1 eq 1 or 'a", want: "'x'' or 1 eq 1 or ''a'"},
		{in: "''", want: "''''''"},
		{in: "Zoë 🚀 Müller", want: "'Zoë 🚀 Müller'"},
		{in: "R&D #1 50% a+b", want: "'R&D #1 50% a+b'"},
		{in: "", want: "''"},
		{in: "line\nbreak", bad: true},
		{in: "nul\x00", bad: true},
		{in: "tab\t", bad: true},
		{in: "del\x7f", bad: true},
		{in: "c1\u0085", bad: true},
		{in: "bad \xff utf8", bad: true},
	} {
		got, err := quote(tc.in)
		switch {
		case tc.bad && err == nil:
			t.Errorf("quote(%q) = %q, want an error", tc.in, got)
		case !tc.bad && err != nil:
			t.Errorf("quote(%q): %v", tc.in, err)
		case !tc.bad && got != tc.want:
			t.Errorf("quote(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestIsGUID(t *testing.T) {
	for in, want := range map[string]bool{
		"11111111-1111-4111-8111-111111111111":        true,
		"AAAAAAAA-bbbb-4CCC-8ddd-eeeeeeeeeeee":        true,
		"gc532ff9-r265-ec76-861e-42e2970a8218":        false, // the documentation's odd ids are not GUIDs
		"11111111111141118111111111111111":            false,
		"{11111111-1111-4111-8111-111111111111}":      false,
		"":                                            false,
		"11111111-1111-4111-8111-111111111111' or 'a": false,
	} {
		if got := isGUID(in); got != want {
			t.Errorf("isGUID(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestEqAnyQuotesEveryValue(t *testing.T) {
	got := eqAny("sourceIdentity/id", []string{"a", "b'c"})
	if want := "sourceIdentity/id eq 'a' or sourceIdentity/id eq 'b''c'"; got != want {
		t.Errorf("eqAny = %q, want %q", got, want)
	}
	if strings.Count(got, " or ") != 1 {
		t.Errorf("eqAny = %q", got)
	}
}
