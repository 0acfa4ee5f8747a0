package manifest_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"testing"

	"github.com/provbot/provbot/manifest"
)

// Icon rules: "App icons" in
// https://learn.microsoft.com/en-us/microsoftteams/platform/concepts/build-and-test/apps-package

// MustIcon builds the package for p and decodes one of its icons.
func MustIcon(tb testing.TB, p manifest.Params, name string) image.Image {
	tb.Helper()
	_, files, _ := MustUnzip(tb, MustBuild(tb, p))
	img, err := png.Decode(bytes.NewReader(files[name]))
	if err != nil {
		tb.Fatalf("%s is not a PNG: %v", name, err)
	}
	return img
}

// nrgbaAt returns the pixel's non-premultiplied colour.
func nrgbaAt(img image.Image, x, y int) color.NRGBA {
	if n, ok := img.(*image.NRGBA); ok {
		return n.NRGBAAt(x, y)
	}
	return color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
}

func TestColorIcon_Is192SquareOnASolidAccentBackground(t *testing.T) {
	for _, accent := range []struct {
		hex string
		rgb color.NRGBA
	}{
		{"", color.NRGBA{0x1F, 0x6F, 0x8B, 0xFF}}, // the default
		{"#5B2C83", color.NRGBA{0x5B, 0x2C, 0x83, 0xFF}},
	} {
		img := MustIcon(t, manifest.Params{BotID: testBotID, AccentColor: accent.hex}, manifest.ColorIconFile)
		if got := img.Bounds(); got != image.Rect(0, 0, 192, 192) {
			t.Fatalf("color.png bounds = %v, want 192×192", got)
		}

		var white int
		for y := range 192 {
			for x := range 192 {
				c := nrgbaAt(img, x, y)
				if c.A != 255 {
					t.Fatalf("color.png pixel (%d,%d) = %v, want opaque (solid background)", x, y, c)
				}
				inSymbol := x >= 48 && x < 144 && y >= 48 && y < 144
				if !inSymbol && c != accent.rgb {
					t.Fatalf("color.png pixel (%d,%d) = %v, want accent %v in the 48 px padding", x, y, c, accent.rgb)
				}
				if c == (color.NRGBA{255, 255, 255, 255}) {
					white++
				}
			}
		}
		if white < 96*96/5 {
			t.Errorf("color.png with accent %q has %d white pixels; want a visible white glyph", accent.hex, white)
		}
	}
}

func TestOutlineIcon_Is32SquareWhiteOnTransparentOnly(t *testing.T) {
	img := MustIcon(t, manifest.Params{BotID: testBotID}, manifest.OutlineIconFile)
	if got := img.Bounds(); got != image.Rect(0, 0, 32, 32) {
		t.Fatalf("outline.png bounds = %v, want 32×32", got)
	}

	var transparent, solid int
	minX, minY, maxX, maxY := 32, 32, -1, -1
	for y := range 32 {
		for x := range 32 {
			c := nrgbaAt(img, x, y)
			if c.A != 0 && (c.R != 255 || c.G != 255 || c.B != 255) {
				t.Fatalf("outline.png pixel (%d,%d) = %v; want white (255,255,255) or fully transparent", x, y, c)
			}
			switch c.A {
			case 0:
				transparent++
				continue
			case 255:
				solid++
			}
			minX, minY = min(minX, x), min(minY, y)
			maxX, maxY = max(maxX, x), max(maxY, y)
		}
	}
	if transparent == 0 || solid == 0 {
		t.Errorf("outline.png has %d transparent and %d solid white pixels; want both", transparent, solid)
	}
	// No padding around the symbol: the glyph spans (nearly) the whole icon.
	if w, h := maxX-minX+1, maxY-minY+1; w < 30 || h < 28 {
		t.Errorf("outline.png glyph is %d×%d; want it to fill the 32×32 icon without padding", w, h)
	}
}

func TestIcons_DoNotDependOnTheBotOrText(t *testing.T) {
	a := manifest.Params{BotID: testBotID}
	b := manifest.Params{BotID: "0b7e1a52-3c4d-4e5f-8a9b-0c1d2e3f4a5b", Name: "Other"}
	_, fa, _ := MustUnzip(t, MustBuild(t, a))
	_, fb, _ := MustUnzip(t, MustBuild(t, b))
	for _, name := range []string{manifest.ColorIconFile, manifest.OutlineIconFile} {
		if !bytes.Equal(fa[name], fb[name]) {
			t.Errorf("%s differs between two bots with the same accent colour", name)
		}
	}
}
