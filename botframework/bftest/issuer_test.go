package bftest_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/golang-jwt/jwt/v5"

	"github.com/provbot/provbot/botframework/bftest"
)

func getJSON(t *testing.T, url string, v any) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
			t.Fatal(err)
		}
	}
	return resp.StatusCode
}

type jwks struct {
	Keys []struct {
		Kty          string   `json:"kty"`
		Kid          string   `json:"kid"`
		N            string   `json:"n"`
		E            string   `json:"e"`
		Endorsements []string `json:"endorsements"`
	} `json:"keys"`
}

func TestIssuerPublishesMetadataAndEndorsedKeys(t *testing.T) {
	iss := bftest.NewIssuer(t, bftest.IssuerOptions{AppID: "app"})
	var meta map[string]any
	getJSON(t, iss.MetadataURL, &meta)
	if meta["issuer"] != bftest.BotConnectorIssuer || meta["jwks_uri"] != iss.JWKSURL {
		t.Errorf("metadata = %v", meta)
	}
	var set jwks
	getJSON(t, iss.JWKSURL, &set)
	if len(set.Keys) != 1 || set.Keys[0].Kid != iss.CurrentKeyID() || set.Keys[0].Kty != "RSA" || set.Keys[0].E != "AQAB" {
		t.Fatalf("keys = %+v", set.Keys)
	}
	if got := set.Keys[0].Endorsements; len(got) != 1 || got[0] != "msteams" {
		t.Errorf("endorsements = %v, want [msteams]", got)
	}
	if iss.MetadataRequests() != 1 || iss.JWKSRequests() != 1 {
		t.Errorf("requests = %d, %d", iss.MetadataRequests(), iss.JWKSRequests())
	}
}

func TestIssuerRotationAndFailures(t *testing.T) {
	iss := bftest.NewIssuer(t, bftest.IssuerOptions{AppID: "app"})
	old := iss.CurrentKeyID()
	rotated := iss.RotateKey()
	if rotated == old || iss.CurrentKeyID() != rotated {
		t.Fatalf("rotation kept kid %q", old)
	}
	iss.RetireKey(old)
	var set jwks
	getJSON(t, iss.JWKSURL, &set)
	if len(set.Keys) != 1 || set.Keys[0].Kid != rotated {
		t.Errorf("keys after retiring = %+v", set.Keys)
	}
	iss.FailJWKS(503, 2)
	for range 2 {
		if status := getJSON(t, iss.JWKSURL, &set); status != 503 {
			t.Errorf("status = %d, want 503", status)
		}
	}
	if status := getJSON(t, iss.JWKSURL, &set); status != 200 {
		t.Errorf("status after the failures = %d", status)
	}
}

func TestIssuerTokenKnobs(t *testing.T) {
	iss := bftest.NewIssuer(t, bftest.IssuerOptions{AppID: "app"})
	parse := func(tok string) (jwt.MapClaims, map[string]any) {
		claims := jwt.MapClaims{}
		parsed, _, err := jwt.NewParser().ParseUnverified(tok, claims)
		if err != nil {
			t.Fatal(err)
		}
		return claims, parsed.Header
	}
	claims, header := parse(iss.Token(bftest.TokenSpec{ServiceURL: "https://smba.example/"}))
	if claims["aud"] != "app" || claims["iss"] != bftest.BotConnectorIssuer || claims["serviceurl"] != "https://smba.example/" || header["kid"] != iss.CurrentKeyID() || header["alg"] != "RS256" {
		t.Errorf("default token: %v %v", claims, header)
	}
	claims, header = parse(iss.Token(bftest.TokenSpec{OmitKeyID: true, OmitExpiry: true, Audience: []string{"a", "b"}, Algorithm: "none", Claims: map[string]any{"nbf": nil, "x": 1}}))
	if _, ok := header["kid"]; ok || header["alg"] != "none" || claims["exp"] != nil || claims["nbf"] != nil || claims["x"] != float64(1) {
		t.Errorf("knobs ignored: %v %v", claims, header)
	}
	emu := bftest.NewIssuer(t, bftest.IssuerOptions{AppID: "app", Emulator: true})
	claims, _ = parse(emu.Token(bftest.TokenSpec{}))
	if claims["iss"] != bftest.EmulatorIssuer || claims["azp"] != "app" || claims["ver"] != "2.0" {
		t.Errorf("emulator token: %v", claims)
	}
	var set jwks
	getJSON(t, emu.JWKSURL, &set)
	if set.Keys[0].Endorsements != nil {
		t.Errorf("emulator key has endorsements %v", set.Keys[0].Endorsements)
	}
}
