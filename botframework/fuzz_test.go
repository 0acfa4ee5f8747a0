package botframework

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// The fuzz targets run briefly in CI (.ci/run); their seed corpora are in
// testdata/fuzz/<target>, plus the protocol reference's example activities
// and freshly signed tokens added at start.

// FuzzDecodeActivity feeds arbitrary bodies to the two decoders of an
// inbound activity: the routing members authentication checks on their own,
// and the full activity. Neither may panic; when both succeed they must agree
// on the routing members (else a body could pass the serviceurl check with
// one serviceUrl and be answered at another); an activity that decodes must
// encode and decode again to the same routing members and unknown members.
func FuzzDecodeActivity(f *testing.F) {
	for _, dir := range []string{"teams", "cards"} {
		files, _ := filepath.Glob(filepath.Join("testdata", dir, "*.json"))
		for _, name := range files {
			b, err := os.ReadFile(name)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		r, rerr := decodeRouting(body)
		var act Activity
		aerr := json.Unmarshal(body, &act)
		if rerr != nil || aerr != nil {
			return
		}
		if act.Type != r.Type || act.ServiceURL != r.ServiceURL || act.ChannelID != r.ChannelID {
			t.Fatalf("routing decoded as %+v, the activity as type %q serviceUrl %q channelId %q", r, act.Type, act.ServiceURL, act.ChannelID)
		}
		if _, err := decodeActivity(body, r); err != nil {
			t.Fatalf("decodeActivity refused what both decoders read alike: %v", err)
		}
		out, err := json.Marshal(act)
		if err != nil {
			t.Fatalf("the decoded activity does not encode: %v", err)
		}
		var again Activity
		if err := json.Unmarshal(out, &again); err != nil {
			t.Fatalf("the encoded activity does not decode: %v\n%s", err, out)
		}
		if again.Type != act.Type || again.ServiceURL != act.ServiceURL || again.ChannelID != act.ChannelID || again.ID != act.ID ||
			again.Conversation.ID != act.Conversation.ID || again.From.AADObjectID != act.From.AADObjectID {
			t.Fatalf("a round trip changed the activity:\n%s", out)
		}
		if !reflect.DeepEqual(keys(again.Extra), keys(act.Extra)) {
			t.Fatalf("a round trip changed the unknown members: %v, then %v", keys(act.Extra), keys(again.Extra))
		}
	})
}

// keys returns the sorted keys of m (nil for none).
func keys(m map[string]json.RawMessage) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	if len(out) == 0 {
		return nil
	}
	slices.Sort(out)
	return out
}

// FuzzVerifyToken feeds arbitrary Authorization headers to the token
// check, with signing keys for the Bot Connector and the Emulator paths
// already loaded (no network). It must never panic, and a header it accepts
// must carry a token one of the keys signed for this bot: the right issuer,
// the app id as audience, an expiry.
func FuzzVerifyToken(f *testing.F) {
	const appID = "9e7d8f2a-1c3b-4d5e-8f90-123456789abc"
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	channelKey := fuzzKey(f)
	emulatorKey := fuzzKey(f)
	cfg := Config{MicrosoftAppId: appID, MicrosoftAppPassword: "secret", AllowEmulator: true}
	a, err := newAuthenticator(cfg, authOptions{ListenAddr: "0.0.0.0:3978", Logger: slog.New(slog.DiscardHandler), Now: func() time.Time { return now }})
	if err != nil {
		f.Fatal(err)
	}
	load := func(kc *keyCache, kid string, k *rsa.PrivateKey, endorsements []string) {
		kc.keys = map[string]signingKey{kid: {pub: &k.PublicKey, endorsements: endorsements}}
		kc.fetched, kc.attempted = now, now
	}
	load(a.channelKeys, "channel-key", channelKey, []string{ChannelMSTeams})
	load(a.emulatorKeys, "emulator-key", emulatorKey, nil)

	sign := func(k *rsa.PrivateKey, kid string, method jwt.SigningMethod, claims jwt.MapClaims) string {
		tok := jwt.NewWithClaims(method, claims)
		tok.Header["kid"] = kid
		s, err := tok.SignedString(k)
		if err != nil {
			f.Fatal(err)
		}
		return s
	}
	channelClaims := jwt.MapClaims{"iss": DefaultToBotFromChannelTokenIssuer, "aud": appID, "serviceurl": "https://smba.trafficmanager.net/amer/",
		"nbf": now.Add(-time.Minute).Unix(), "exp": now.Add(time.Hour).Unix()}
	emulatorClaims := jwt.MapClaims{"iss": emulatorIssuers[3], "aud": appID, "azp": appID, "ver": "2.0",
		"nbf": now.Add(-time.Minute).Unix(), "exp": now.Add(time.Hour).Unix()}
	for _, s := range []string{
		"Bearer " + sign(channelKey, "channel-key", jwt.SigningMethodRS256, channelClaims),
		"Bearer " + sign(channelKey, "channel-key", jwt.SigningMethodRS512, channelClaims),
		"Bearer " + sign(emulatorKey, "emulator-key", jwt.SigningMethodRS256, emulatorClaims),
		"Bearer " + sign(channelKey, "emulator-key", jwt.SigningMethodRS256, emulatorClaims),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, authorization string) {
		v, err := a.verifyToken(t.Context(), authorization)
		if err != nil {
			var ae *AuthError
			if !errors.As(err, &ae) {
				t.Fatalf("error %v is not an *AuthError", err)
			}
			if len(err.Error()) > 4<<10 {
				t.Fatalf("an error of %d bytes: request values must be capped", len(err.Error()))
			}
			return
		}
		id := v.identity
		switch id.Scheme {
		case SchemeBotConnector:
			if id.Issuer != DefaultToBotFromChannelTokenIssuer {
				t.Fatalf("accepted a Bot Connector token from %q", id.Issuer)
			}
		case SchemeEmulator:
			if !strings.Contains(strings.Join(emulatorIssuers, " "), id.Issuer) {
				t.Fatalf("accepted an Emulator token from %q", id.Issuer)
			}
		default:
			t.Fatalf("accepted with scheme %q", id.Scheme)
		}
		aud, err := jwt.MapClaims(id.Claims).GetAudience()
		if err != nil || !strings.Contains(strings.Join(aud, " "), appID) || v.expires.IsZero() {
			t.Fatalf("accepted a token for %v expiring %v", aud, v.expires)
		}
	})
}

// fuzzKey generates an RSA signing key for a fuzz target.
func fuzzKey(f *testing.F) *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		f.Fatal(err)
	}
	return k
}
