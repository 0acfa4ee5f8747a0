package botframework_test

import (
	"testing"

	"github.com/provbot/provbot/botframework"
)

func TestTrustedServiceURLs(t *testing.T) {
	var set botframework.TrustedServiceURLs
	if set.Contains("https://smba.trafficmanager.net/amer/") {
		t.Fatal("empty set trusts a URL")
	}
	set.Add("https://smba.trafficmanager.net/amer/")
	set.Add("not a url with spaces\x7f")
	set.Add("https://smba.trafficmanager.net/x/?q=1")
	for raw, want := range map[string]bool{
		"https://smba.trafficmanager.net/amer/":    true,
		"https://smba.trafficmanager.net/amer":     true,
		"HTTPS://SMBA.trafficmanager.net/amer//":   true,
		"https://smba.trafficmanager.net/AMER/":    false,
		"http://smba.trafficmanager.net/amer/":     false,
		"https://smba.trafficmanager.net/":         false,
		"https://smba.trafficmanager.net/amer/x/":  false,
		"https://smba.trafficmanager.net:444/amer": false,
		"https://smba.trafficmanager.net/x/?q=1":   false,
		"https://evil.example.com/amer/":           false,
	} {
		if got := set.Contains(raw); got != want {
			t.Errorf("Contains(%q) = %v, want %v", raw, got, want)
		}
	}
}
