// Package teamsrender checks Adaptive Cards with Microsoft's own renderer
// (the npm package adaptivecards, 3.0.x) and the host configs Microsoft
// publishes for Teams, so tests see a card the way Teams will draw it
// rather than the way our demo page does.
//
// Two tools, both for tests:
//
//   - [Check] (and [Inspect], which does not fail the test) parses cards with
//     the library under Node.js and reports its parse and validation events,
//     the actions of every action set against Teams' limit of 6, the size
//     against Teams' 28 KB, the schema version against Teams' 1.5, and
//     properties the renderer does not read.
//   - [Browser.Render] (and [Render]) draws one card in headless Chromium at
//     a given width, with the same library and host config, and measures
//     it: height, where each element with an id sits, whether an action
//     title is cut, and the contrast of every text in the light, dark and
//     high-contrast themes. It keeps a PNG screenshot, written to
//     $PROVBOT_SCREENSHOT_DIR when that is set.
//
// The library is installed from the npm registry at test time (package.json
// and package-lock.json pin exact versions; nothing is vendored) into a
// cache directory outside the tree, once per change of those files. Without
// node and npm, or without Chromium, tests that use this package are
// skipped, or fail when $CI is set.
package teamsrender
