// Package manifest builds the Microsoft Teams app package (manifest.json and
// its two icons in a zip file) for provbot.
package manifest
