// Package bftest provides fakes of the Bot Framework services for tests and
// the local demo, written against the wire protocol (it never imports the
// botframework package):
//
//   - [Issuer]: a Bot Framework token issuer serving OpenID metadata and a
//     JWKS with endorsements, signing tokens with a knob for every header
//     and claim so tests can forge broken ones, with key rotation and
//     request counters; optionally Emulator-style (Microsoft Entra ID).
//   - [Connector]: a Bot Connector that records every call, answers like
//     the real service and fails on demand.
//   - [TokenEndpoint]: an OAuth2 client-credentials endpoint issuing bot
//     tokens the Connector can be told to require.
//
// The New… constructors take a testing.TB and close the fake on cleanup;
// the Start… constructors are for code without one (the demo) and return a
// fake to Close.
package bftest
