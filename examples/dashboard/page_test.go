package main

import (
	"html"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// barRE matches a load bar of the page: the worker, the utilization
// and the width drawn.
var barRE = regexp.MustCompile(`<rect class="fill [^"]*" data-worker="([^"]+)" data-utilization="([^"]+)" x="0" y="2" width="([^"]+)"`)

// section returns the part of page from the section with the given id
// to the next section.
func section(page, id string) string {
	i := strings.Index(page, `<section id="`+id+`"`)
	if i < 0 {
		return ""
	}
	rest := page[i:]
	if j := strings.Index(rest[1:], "<section "); j >= 0 {
		return rest[:j+1]
	}
	return rest
}

// checkBars checks that the load section of page (HTML or a browser's
// DOM) has one bar per worker of st, each as wide as its utilization on
// the page's scale.
func checkBars(t *testing.T, page string, st *teamState) {
	t.Helper()
	load := section(page, "load")
	bars := barRE.FindAllStringSubmatch(load, -1)
	im := st.team.Score()
	require.Len(t, bars, len(im.Workers), "one bar per worker")
	scaleRE := regexp.MustCompile(`<ul class="bars" data-scale="([^"]+)"`)
	m := scaleRE.FindStringSubmatch(load)
	require.NotNil(t, m)
	scale, err := strconv.ParseFloat(m[1], 64)
	require.NoError(t, err)
	for i, wl := range im.Workers {
		assert.Equal(t, wl.Worker, bars[i][1])
		u, err := strconv.ParseFloat(bars[i][2], 64)
		require.NoError(t, err)
		assert.InDelta(t, wl.Utilization, u, 1e-9)
		w, err := strconv.ParseFloat(bars[i][3], 64)
		require.NoError(t, err)
		// barWidth user units stand for the scale; widths print with
		// one decimal, so they are within 0.05 of exact.
		assert.InDelta(t, barWidth*math.Min(u, scale)/scale, w, 0.051, wl.Worker)
	}
}

// checkSignals checks that every signal of st is listed in page (HTML
// or a browser's DOM), in order, with its severity in words.
func checkSignals(t *testing.T, page string, st *teamState) {
	t.Helper()
	// html/template writes ' as &#39;, a browser's DOM as it is.
	sigs := html.UnescapeString(section(page, "signals"))
	require.NotEmpty(t, st.signals)
	at := 0
	for _, s := range st.signals {
		i := strings.Index(sigs[at:], s.Message)
		if !assert.GreaterOrEqual(t, i, 0, "signal %q listed in order", s.Message) {
			continue
		}
		before := sigs[:at+i]
		assert.Contains(t, before[strings.LastIndex(before, "<li"):], "</span> "+s.Severity.String()+"</span>")
		at += i
	}
}

// TestPage: the page shows every worker's bar, as wide as their
// utilization, every signal, the pace, the queue with the first case's
// ranking, and a proposal.
func TestPage(t *testing.T) {
	ts, st := newTestServer(t, testConfig{})
	code, page := get(t, ts, "/")
	require.Equal(t, http.StatusOK, code)
	cur := st.current()
	checkBars(t, page, cur)
	checkSignals(t, page, cur)

	pace := section(page, "pace")
	for _, w := range []string{"anouk", "bram", "chayenne", "daan", "eline"} {
		assert.Contains(t, pace, "<strong>"+w+"</strong>")
	}
	assert.Contains(t, pace, "far behind")

	q := section(page, "queue")
	assert.Contains(t, q, "8 days (6 working), since 2026-02-24")
	assert.Contains(t, q, "Who takes 2026-0141 (5.0 h/wk)?")
	assert.Contains(t, q, "lacks skill &#34;arabic&#34;")

	pr := section(page, "proposal")
	assert.Contains(t, pr, `value="2"`, "the team file's move budget")
	assert.Contains(t, pr, "Step 2")
	assert.Contains(t, pr, "2025-0191</strong> bram → daan")
	assert.Equal(t, 5, strings.Count(pr, `data-utilization-after=`), "before and after bars")

	_, other := get(t, ts, "/?case=2026-0140&moves=0")
	assert.Contains(t, other, "Who takes 2026-0140 (4.7 h/wk)?")
	assert.NotContains(t, section(other, "proposal"), "Step 1")

	for _, bad := range []string{"/?moves=x", "/?moves=-1", "/?moves=51", "/?case=2025-0107"} {
		code, _ := get(t, ts, bad)
		assert.Equal(t, http.StatusBadRequest, code, bad)
	}
}

// TestPageAccessible: every chart has a text alternative (a title it is
// labelled by, or it is hidden as decoration that the text repeats), and
// every band is written in words beside its colour.
func TestPageAccessible(t *testing.T) {
	ts, st := newTestServer(t, testConfig{})
	_, page := get(t, ts, "/")
	assert.Contains(t, page, `<html lang="en">`)
	svgRE := regexp.MustCompile(`(?s)<svg([^>]*)>(.*?)</svg>`)
	svgs := svgRE.FindAllStringSubmatch(page, -1)
	require.NotEmpty(t, svgs)
	for _, m := range svgs {
		attrs, inner := m[1], m[2]
		if strings.Contains(attrs, `aria-hidden="true"`) {
			continue
		}
		assert.Contains(t, attrs, `role="img"`)
		label := regexp.MustCompile(`aria-labelledby="([^"]+)"`).FindStringSubmatch(attrs)
		if assert.NotNil(t, label, "svg %s has a label", attrs) {
			title := regexp.MustCompile(`<title id="` + label[1] + `">([^<]+)</title>`).FindStringSubmatch(inner)
			if assert.NotNil(t, title, "svg %s has its title", attrs) {
				assert.Greater(t, len(title[1]), 20, "a title that says something")
			}
		}
	}
	// Colour is never the only carrier of a band: each bar's band is
	// in its title and in the text beside it.
	load := section(page, "load")
	for _, wl := range st.current().team.Score().Workers {
		text := bandText(wl.Band, []float64{0.9, 1.0, 1.1})
		assert.GreaterOrEqual(t, strings.Count(load, text), 1, wl.Worker)
		assert.Contains(t, load, `<span class="band `+bandClass(wl.Band)+`">`+text+`</span>`)
	}
	// Severity is written as well as coloured.
	for _, sev := range []string{"critical", "warning", "info"} {
		assert.Contains(t, section(page, "signals"), "</span> "+sev+"</span>")
	}
	// Forms have labels.
	assert.Contains(t, page, `<label for="moves">`)
	assert.Contains(t, page, `<label for="k">`)
}

// TestAccept: accepting the first step applies the placements and step
// 1 to the team, and a stale form accepts nothing.
func TestAccept(t *testing.T) {
	ts, st := newTestServer(t, testConfig{dir: t.TempDir()})
	_, page := get(t, ts, "/")
	field := func(name string) string {
		m := regexp.MustCompile(`name="` + name + `" value="([^"]*)"`).FindStringSubmatch(page)
		require.NotNil(t, m, name)
		return m[1]
	}
	form := url.Values{"version": {field("version")}, "fingerprint": {field("fingerprint")}, "moves": {"2"}, "k": {"1"}}
	before := st.current()

	stale := url.Values{"version": {"old"}, "fingerprint": {field("fingerprint")}, "moves": {"2"}, "k": {"1"}}
	resp, err := ts.Client().PostForm(ts.URL+"/accept", stale)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode, "redirected to the page")
	assert.Equal(t, "stale", resp.Request.URL.Query().Get("done"))
	assert.Same(t, before, st.current(), "nothing accepted")

	resp, err = ts.Client().PostForm(ts.URL+"/accept", form)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, "the placements and step 1", resp.Request.URL.Query().Get("done"))
	after := st.current()
	require.NotSame(t, before, after)
	owners := map[string]string{}
	for _, c := range after.file.Cases {
		owners[c.ID] = c.Owner
	}
	assert.Equal(t, "daan", owners["2026-0141"], "placed")
	assert.Equal(t, "daan", owners["2025-0191"], "step 1")
	assert.Equal(t, "bram", owners["2026-0119"], "step 2 not accepted")

	_, page = get(t, ts, "/?moves=2&done=the+placements+and+step+1")
	assert.Contains(t, page, "Accepted the placements and step 1.")
	assert.Contains(t, section(page, "queue"), "No case is waiting.")
	checkBars(t, page, after)

	// The old form is stale now: its team is gone.
	resp, err = ts.Client().PostForm(ts.URL+"/accept", form)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, "stale", resp.Request.URL.Query().Get("done"))

	for _, bad := range []url.Values{{"moves": {"x"}, "k": {"1"}}, {"moves": {"2"}, "k": {"-1"}}} {
		resp, err := ts.Client().PostForm(ts.URL+"/accept", bad)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	}
}

// TestPctOf: a percentage never reads as another band than its own.
func TestPctOf(t *testing.T) {
	bounds := []float64{0.9, 1.0, 1.1}
	tests := []struct {
		u    float64
		want string
	}{
		{0.62, "62%"},
		{1.0, "100%"},           // exactly full is full
		{1.0003, "100.03%"},     // over, though it rounds to 100
		{1.004, "100.4%"},       // one decimal suffices
		{0.8996, "90%"},         // rounds up to the bound, stays under: 90% is the band up to 90%
		{1.10000001, "110.00%"}, // two decimals cannot tell; the band's words do
		{0, "0%"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, pctOf(tt.u, bounds), "%v", tt.u)
	}
}
