package bftest

import (
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// TokenSpec describes a token for [Issuer.Token]. The zero value is a
// valid token (except that Bot Connector tokens need ServiceURL); each field
// breaks one thing on purpose.
type TokenSpec struct {
	// ServiceURL is the serviceurl claim; omitted when empty.
	ServiceURL string
	// Audience is the aud claim: nil means the issuer's AppID as a string;
	// a string or a []string is used as is.
	Audience any
	// Issuer is the iss claim; "" means the issuer's Name.
	Issuer string
	// Algorithm is the header alg: "" means RS256. RS256/RS384/RS512 sign
	// with the RSA key; "none" leaves the token unsigned; HS256/HS384/HS512
	// sign with the public key's PEM as HMAC secret (the classic
	// algorithm-confusion forgery).
	Algorithm string
	// KeyID is the header kid; "" means the current key's. A kid the issuer
	// does not know is sent as is (and signed with the current key).
	KeyID string
	// OmitKeyID leaves kid out of the header.
	OmitKeyID bool
	// SignWithUnpublishedKey signs with a key that is not in the JWKS while
	// the header still names a published kid (a forged signature).
	SignWithUnpublishedKey bool
	// NotBefore is nbf; zero means now.
	NotBefore time.Time
	// ExpiresAt is exp; zero means an hour from now.
	ExpiresAt time.Time
	// OmitExpiry leaves exp out.
	OmitExpiry bool
	// Claims are added last, overriding the above; a nil value removes
	// the claim.
	Claims map[string]any
	// Header fields are added last, overriding the above; a nil value
	// removes the field.
	Header map[string]any
}

// Token returns a signed compact JWT as spec describes.
func (i *Issuer) Token(spec TokenSpec) string {
	tok, err := i.sign(spec)
	if err != nil {
		panic(fmt.Sprintf("bftest: sign token: %v", err))
	}
	return tok
}

// Authorization returns the Authorization header value for a token:
// "Bearer " + [Issuer.Token].
func (i *Issuer) Authorization(spec TokenSpec) string { return "Bearer " + i.Token(spec) }

// Bearer returns the Authorization header value of a valid token for an
// activity whose serviceUrl is serviceURL.
func (i *Issuer) Bearer(serviceURL string) string {
	return i.Authorization(TokenSpec{ServiceURL: serviceURL})
}

// sign builds and signs the token.
func (i *Issuer) sign(spec TokenSpec) (string, error) {
	now := i.now()
	claims := jwt.MapClaims{
		"iss": i.Name,
		"aud": i.AppID,
		"nbf": now.Unix(),
		"exp": now.Add(time.Hour).Unix(),
	}
	if i.emulator {
		claims["ver"] = "2.0"
		claims["azp"] = i.AppID
		claims["tid"] = "f8cdef31-a31e-4b4a-93e4-5f571e91255a"
		claims["iat"] = now.Unix()
	}
	if spec.ServiceURL != "" {
		claims["serviceurl"] = spec.ServiceURL
	}
	if spec.Audience != nil {
		claims["aud"] = spec.Audience
	}
	if spec.Issuer != "" {
		claims["iss"] = spec.Issuer
	}
	if !spec.NotBefore.IsZero() {
		claims["nbf"] = spec.NotBefore.Unix()
	}
	if !spec.ExpiresAt.IsZero() {
		claims["exp"] = spec.ExpiresAt.Unix()
	}
	if spec.OmitExpiry {
		delete(claims, "exp")
	}
	for k, v := range spec.Claims {
		if v == nil {
			delete(claims, k)
			continue
		}
		claims[k] = v
	}

	i.mu.Lock()
	signer := i.current
	kid := signer.kid
	if spec.KeyID != "" {
		kid = spec.KeyID
		if k := i.key(spec.KeyID); k != nil {
			signer = k
		}
	}
	priv := signer.priv
	if spec.SignWithUnpublishedKey {
		priv = i.unpublished
	}
	pub := &signer.priv.PublicKey
	i.mu.Unlock()

	alg := spec.Algorithm
	if alg == "" {
		alg = "RS256"
	}
	var method jwt.SigningMethod
	var key any
	switch {
	case alg == "none":
		method, key = jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType
	case strings.HasPrefix(alg, "HS"):
		method = jwt.GetSigningMethod(alg)
		der, err := x509.MarshalPKIXPublicKey(pub)
		if err != nil {
			return "", err
		}
		key = pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	default:
		method, key = jwt.GetSigningMethod(alg), priv
	}
	if method == nil {
		return "", fmt.Errorf("unknown algorithm %q", alg)
	}
	t := jwt.NewWithClaims(method, claims)
	t.Header["kid"] = kid
	t.Header["x5t"] = kid
	if spec.OmitKeyID {
		delete(t.Header, "kid")
		delete(t.Header, "x5t")
	}
	for k, v := range spec.Header {
		if v == nil {
			delete(t.Header, k)
			continue
		}
		t.Header[k] = v
	}
	return t.SignedString(key)
}
