// Package manifest builds the Microsoft Teams app package for provbot: a zip
// file holding manifest.json and the app's two icons, color.png and
// outline.png, at its root.
//
// [Build] writes the package from [Params]. Only Params.BotID (the Azure Bot's
// Microsoft App ID) is required; every other field has a default, and
// [Params.Validate] checks the result against the limits of the Teams app
// manifest schema (v1.22) before anything is written. The icons are drawn in
// code, and the zip entries carry a fixed timestamp, so the same Params always
// give the same bytes.
//
// The package uses only the standard library.
package manifest
