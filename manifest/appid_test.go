package manifest_test

import (
	"strings"
	"testing"

	"github.com/provbot/provbot/manifest"
)

func TestDeriveAppID(t *testing.T) {
	t.Run("matches a name-based UUID computed elsewhere", func(t *testing.T) {
		// Python: uuid.uuid5(uuid.NAMESPACE_URL,
		//   "https://github.com/provbot/provbot/manifest/app-id/6f1c2a34-8b7d-4e90-a1b2-c3d4e5f60718")
		if got := manifest.DeriveAppID(testBotID); got != testAppID {
			t.Errorf("DeriveAppID(%q) = %q, want %q", testBotID, got, testAppID)
		}
	})
	t.Run("ignores the case of the bot ID", func(t *testing.T) {
		if got := manifest.DeriveAppID(strings.ToUpper(testBotID)); got != testAppID {
			t.Errorf("DeriveAppID(upper case) = %q, want %q", got, testAppID)
		}
	})
	t.Run("differs per bot", func(t *testing.T) {
		other := manifest.DeriveAppID("0b7e1a52-3c4d-4e5f-8a9b-0c1d2e3f4a5b")
		if other == testAppID {
			t.Errorf("two bots got the same app ID %q", other)
		}
	})
	t.Run("is a version 5 RFC 9562 GUID", func(t *testing.T) {
		id := manifest.DeriveAppID(testBotID)
		if !guidPattern.MatchString(id) {
			t.Fatalf("%q is not a lower-case GUID", id)
		}
		if id[14] != '5' {
			t.Errorf("version digit = %c, want 5", id[14])
		}
		if !strings.ContainsRune("89ab", rune(id[19])) {
			t.Errorf("variant digit = %c, want one of 8, 9, a, b", id[19])
		}
	})
}
