package botframework

import "testing"

func TestIsLoopbackListenAddr(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:3978": true,
		"127.9.9.9:1":    true,
		"localhost:3978": true,
		"[::1]:3978":     true,
		":3978":          false,
		"0.0.0.0:3978":   false,
		"[::]:3978":      false,
		"10.0.0.1:3978":  false,
		"host.local:80":  false,
		"127.0.0.1":      false,
		"":               false,
	} {
		if got := isLoopbackListenAddr(addr); got != want {
			t.Errorf("isLoopbackListenAddr(%q) = %v, want %v", addr, got, want)
		}
	}
}

func TestCheckEndpointURL(t *testing.T) {
	for raw, ok := range map[string]bool{
		"https://login.botframework.com/v1/.well-known/openidconfiguration": true,
		"HTTPS://login.botframework.com/x":                                  true,
		"http://127.0.0.1:8080/x":                                           true,
		"http://localhost/x":                                                true,
		"http://[::1]:9/x":                                                  true,
		"http://login.botframework.com/x":                                   false,
		"http://127.0.0.1.example.com/x":                                    false,
		"https://user:pw@login.botframework.com/":                           false,
		"ws://localhost/x":                                                  false,
		"/relative":                                                         false,
		"":                                                                  false,
	} {
		if err := checkEndpointURL(raw); (err == nil) != ok {
			t.Errorf("checkEndpointURL(%q) = %v, want ok=%v", raw, err, ok)
		}
	}
}
