package manifest

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"time"
)

// entryTime is the modification time of every file in the package. It is
// fixed so that the same Params always give the same bytes.
var entryTime = time.Date(2025, time.January, 1, 0, 0, 0, 0, time.UTC)

// Build validates p (see [Params.Validate]) and writes the Teams app package
// to w: a zip file with manifest.json, color.png and outline.png at its root,
// ready for "Upload a custom app" in Teams. The same p always gives the same
// bytes. If p is invalid, or building fails, nothing is written to w.
func Build(w io.Writer, p Params) error {
	p = p.WithDefaults()
	if err := p.Validate(); err != nil {
		return fmt.Errorf("invalid params: %w", err)
	}

	man, err := manifestBytes(p)
	if err != nil {
		return err
	}
	colorPNG, err := colorIcon(mustParseHexColor(p.AccentColor))
	if err != nil {
		return fmt.Errorf("draw %s: %w", ColorIconFile, err)
	}
	outlinePNG, err := outlineIcon()
	if err != nil {
		return fmt.Errorf("draw %s: %w", OutlineIconFile, err)
	}

	var buf bytes.Buffer
	err = writeZip(&buf, []zipEntry{
		{ManifestFile, man},
		{ColorIconFile, colorPNG},
		{OutlineIconFile, outlinePNG},
	})
	if err != nil {
		return fmt.Errorf("zip package: %w", err)
	}
	if _, err := buf.WriteTo(w); err != nil {
		return fmt.Errorf("write package: %w", err)
	}
	return nil
}

// zipEntry is one file at the root of the package.
type zipEntry struct {
	name string
	data []byte
}

// writeZip writes entries, in order, as a deflated zip with fixed times and
// permissions.
func writeZip(w io.Writer, entries []zipEntry) error {
	zw := zip.NewWriter(w)
	for _, e := range entries {
		h := &zip.FileHeader{
			Name:     e.name,
			Method:   zip.Deflate,
			Modified: entryTime,
		}
		h.SetMode(0o644)
		f, err := zw.CreateHeader(h)
		if err != nil {
			return fmt.Errorf("add %s: %w", e.name, err)
		}
		if _, err := f.Write(e.data); err != nil {
			return fmt.Errorf("write %s: %w", e.name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("finish: %w", err)
	}
	return nil
}
