package manifest

import (
	"crypto/sha1"
	"encoding/hex"
	"strings"
)

// appIDNameBase is the name prefix hashed by DeriveAppID; the lower-cased bot
// ID is appended to it.
const appIDNameBase = "https://github.com/provbot/provbot/manifest/app-id/"

// namespaceURL is the RFC 9562 name space ID for URLs,
// 6ba7b811-9dad-11d1-80b4-00c04fd430c8.
var namespaceURL = [16]byte{
	0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
	0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8,
}

// DeriveAppID returns the Teams app id that Params uses by default for the
// bot with Microsoft App ID botID: the name-based (version 5, SHA-1) UUID of
// the URL "https://github.com/provbot/provbot/manifest/app-id/" followed by
// botID in lower case, in the RFC 9562 URL name space. The same bot always
// gets the same app id, whatever the case of botID, and any UUID library can
// reproduce it, for example Python's
// uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/provbot/provbot/manifest/app-id/" + bot_id.lower()).
func DeriveAppID(botID string) string {
	return uuidV5(namespaceURL, appIDNameBase+strings.ToLower(botID))
}

// uuidV5 returns the version 5 UUID of name in namespace ns (RFC 9562 §5.5),
// in lower-case 8-4-4-4-12 form.
func uuidV5(ns [16]byte, name string) string {
	h := sha1.New()
	h.Write(ns[:])
	h.Write([]byte(name))
	var u [16]byte
	copy(u[:], h.Sum(nil))
	u[6] = u[6]&0x0f | 0x50 // version 5
	u[8] = u[8]&0x3f | 0x80 // RFC 9562 variant

	var b [36]byte
	hex.Encode(b[0:8], u[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], u[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], u[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], u[8:10])
	b[23] = '-'
	hex.Encode(b[24:36], u[10:16])
	return string(b[:])
}
