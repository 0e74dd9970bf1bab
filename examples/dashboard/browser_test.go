package main

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// findBrowser returns the path of a Chromium or Chrome binary in PATH,
// or "" if there is none.
func findBrowser() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// headless runs the browser headless on url with extra flags, with its
// own empty profile and no network beyond the page, and returns what it
// wrote to stdout.
func headless(t *testing.T, browser, url string, extra ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	args := append([]string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--hide-scrollbars", "--user-data-dir=" + t.TempDir(),
	}, extra...)
	cmd := exec.CommandContext(ctx, browser, append(args, url)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), "%s: %s", browser, stderr.String())
	return stdout.Bytes()
}

// TestBrowser loads the page in a real headless Chromium, as a team
// leader would: the DOM it builds has every worker's bar, as wide as
// their utilization, and every signal, and a screenshot of it is a
// non-blank PNG of the window's size. It skips only when no browser is
// installed (.ci/run installs Debian's chromium).
func TestBrowser(t *testing.T) {
	browser := findBrowser()
	if browser == "" {
		t.Skip("no browser: none of chromium, chromium-browser, google-chrome is in PATH; install Debian's chromium to run this test")
	}
	t.Parallel()
	ts, st := newTestServer(t, testConfig{})
	cur := st.current()

	t.Run("dom", func(t *testing.T) {
		t.Parallel()
		dom := string(headless(t, browser, ts.URL+"/", "--dump-dom"))
		checkBars(t, dom, cur)
		checkSignals(t, dom, cur)
	})
	t.Run("screenshot", func(t *testing.T) {
		t.Parallel()
		const w, h = 1280, 1600
		file := filepath.Join(t.TempDir(), "page.png")
		headless(t, browser, ts.URL+"/", "--screenshot="+file, "--window-size=1280,1600")
		b, err := os.ReadFile(file)
		require.NoError(t, err)
		img, err := png.Decode(bytes.NewReader(b))
		require.NoError(t, err)
		assert.Equal(t, image.Rect(0, 0, w, h), img.Bounds())
		assert.Greater(t, colours(img, 2), 1, "the screenshot is not blank")
		// The bars' colours are on it: the red of bram's band (an sRGB
		// #c0392b, give or take the renderer's rounding).
		assert.True(t, hasColour(img, 0xc0, 0x39, 0x2b, 6), "a red bar is drawn")
	})
}

// colours counts the distinct colours of img, up to limit.
func colours(img image.Image, limit int) int {
	seen := map[[4]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, a := img.At(x, y).RGBA()
			seen[[4]uint32{r, g, bl, a}] = true
			if len(seen) >= limit {
				return len(seen)
			}
		}
	}
	return len(seen)
}

// hasColour reports whether img has a pixel within tol of r, g, b (each
// 0–255).
func hasColour(img image.Image, r, g, b, tol int) bool {
	near := func(v uint32, want int) bool { d := int(v>>8) - want; return d >= -tol && d <= tol }
	bd := img.Bounds()
	for y := bd.Min.Y; y < bd.Max.Y; y++ {
		for x := bd.Min.X; x < bd.Max.X; x++ {
			pr, pg, pb, _ := img.At(x, y).RGBA()
			if near(pr, r) && near(pg, g) && near(pb, b) {
				return true
			}
		}
	}
	return false
}
