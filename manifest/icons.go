package manifest

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strconv"
)

// Icon rules, from "App icons" in
// https://learn.microsoft.com/en-us/microsoftteams/platform/concepts/build-and-test/apps-package
// and https://learn.microsoft.com/en-us/microsoft-365/extensibility/schema/root-icons:
//
//   - color.png is 192×192; the symbol is 96×96 with 48 px of padding, on a
//     solid or fully transparent square background, with no rounded corners.
//   - outline.png is 32×32, white (RGB 255, 255, 255) on a transparent
//     background, with no other colours and no padding around the symbol.
//
// Both icons show the same glyph: a person with a check-mark badge. It is
// drawn with integer arithmetic only, so the PNG bytes are the same on every
// platform.
const (
	colorIconSize    = 192
	colorGlyphSize   = 96
	outlineIconSize  = 32
	supersample      = 4 // samples per pixel along each axis, for anti-aliasing
	samplesPerPixel  = supersample * supersample
	glyphUnits       = 9600 // the glyph is drawn in a 9600×9600 unit square
	designPointUnits = glyphUnits / 960
)

// rgb is an opaque colour.
type rgb struct{ r, g, b uint8 }

// mustParseHexColor parses "#RRGGBB"; the caller has checked the format.
func mustParseHexColor(s string) rgb {
	if len(s) != 7 || s[0] != '#' {
		panic(fmt.Sprintf("manifest: bad colour %q", s))
	}
	v, err := strconv.ParseUint(s[1:], 16, 32)
	if err != nil {
		panic(fmt.Sprintf("manifest: bad colour %q", s))
	}
	return rgb{uint8(v >> 16), uint8(v >> 8), uint8(v)}
}

// colorIcon returns color.png: the white glyph on a full square of accent.
func colorIcon(accent rgb) ([]byte, error) {
	img := image.NewNRGBA(image.Rect(0, 0, colorIconSize, colorIconSize))
	pad := (colorIconSize - colorGlyphSize) / 2
	for y := range colorIconSize {
		for x := range colorIconSize {
			c := 0
			if x >= pad && x < pad+colorGlyphSize && y >= pad && y < pad+colorGlyphSize {
				c = coverage(x-pad, y-pad, colorGlyphSize)
			}
			img.SetNRGBA(x, y, color.NRGBA{
				R: blend(accent.r, 255, c),
				G: blend(accent.g, 255, c),
				B: blend(accent.b, 255, c),
				A: 255,
			})
		}
	}
	return encodePNG(img)
}

// outlineIcon returns outline.png: the glyph filling the whole icon, every
// pixel white, with only the alpha channel carrying the shape.
func outlineIcon() ([]byte, error) {
	img := image.NewNRGBA(image.Rect(0, 0, outlineIconSize, outlineIconSize))
	for y := range outlineIconSize {
		for x := range outlineIconSize {
			c := coverage(x, y, outlineIconSize)
			img.SetNRGBA(x, y, color.NRGBA{R: 255, G: 255, B: 255, A: blend(0, 255, c)})
		}
	}
	return encodePNG(img)
}

func encodePNG(img image.Image) ([]byte, error) {
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("encode png: %w", err)
	}
	return buf.Bytes(), nil
}

// blend mixes from and to by c/samplesPerPixel, rounding to nearest.
func blend(from, to uint8, c int) uint8 {
	return uint8((int(from)*(samplesPerPixel-c) + int(to)*c + samplesPerPixel/2) / samplesPerPixel)
}

// coverage returns how many of the pixel's samples fall on the glyph, when
// the glyph is drawn size pixels wide: 0 (none) to samplesPerPixel (all).
func coverage(px, py, size int) int {
	n := 0
	for j := range supersample {
		for i := range supersample {
			// Sample centres, in glyph units: ((2s+1)/2) / (size·supersample) of the glyph.
			sx := int64(2*(px*supersample+i)+1) * glyphUnits / int64(2*size*supersample)
			sy := int64(2*(py*supersample+j)+1) * glyphUnits / int64(2*size*supersample)
			if onGlyph(point{sx, sy}) {
				n++
			}
		}
	}
	return n
}

// point is a position in glyph units.
type point struct{ x, y int64 }

// pt converts design points (0–960 across the glyph) to glyph units.
func pt(x, y int64) point { return point{x * designPointUnits, y * designPointUnits} }

func du(v int64) int64 { return v * designPointUnits }

// The glyph, in design points: a head and shoulders on the left, and a round
// badge with a check mark cut out of it at the bottom right, separated from
// the person by a transparent gap.
var (
	headCentre   = pt(370, 230)
	headRadius   = du(180)
	bodyCentre   = pt(370, 830)
	bodyRadius   = du(360)
	bodyBottom   = du(910)
	badgeCentre  = pt(740, 700)
	badgeRadius  = du(210)
	badgeGap     = du(270) // radius of the gap cut around the badge
	checkPoints  = [3]point{pt(642, 705), pt(710, 773), pt(844, 639)}
	checkHalfPen = du(36)
)

// onGlyph reports whether p is on the glyph's foreground.
func onGlyph(p point) bool {
	person := inDisk(p, headCentre, headRadius) ||
		(inDisk(p, bodyCentre, bodyRadius) && p.y <= bodyBottom)
	if person && !inDisk(p, badgeCentre, badgeGap) {
		return true
	}
	check := nearSegment(p, checkPoints[0], checkPoints[1], checkHalfPen) ||
		nearSegment(p, checkPoints[1], checkPoints[2], checkHalfPen)
	return inDisk(p, badgeCentre, badgeRadius) && !check
}

func inDisk(p, centre point, r int64) bool {
	dx, dy := p.x-centre.x, p.y-centre.y
	return dx*dx+dy*dy <= r*r
}

// nearSegment reports whether p is within r of the segment from a to b.
// Values stay below 2^62 for coordinates within the glyph's 9600 units.
func nearSegment(p, a, b point, r int64) bool {
	dx, dy := b.x-a.x, b.y-a.y
	vx, vy := p.x-a.x, p.y-a.y
	dot := vx*dx + vy*dy
	length2 := dx*dx + dy*dy
	switch {
	case dot <= 0:
		return vx*vx+vy*vy <= r*r
	case dot >= length2:
		wx, wy := p.x-b.x, p.y-b.y
		return wx*wx+wy*wy <= r*r
	default:
		cross := vx*dy - vy*dx
		return cross*cross <= r*r*length2
	}
}
