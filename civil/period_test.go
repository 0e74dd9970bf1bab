package civil_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/caseload/caseload/civil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// day parses a "2006-01-02" date and panics on a typo, as test helpers may.
var day = civil.MustParseDate

// minDate and maxDate are the first and last dates a civil.Date holds.
var (
	minDate = day("0001-01-01")
	maxDate = day("9999-12-31")
)

func TestPeriodOpenEnds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		p    civil.Period
		at   civil.Date
		want bool
	}{
		{"always, first date", civil.Period{}, minDate, true},
		{"always, last date", civil.Period{}, maxDate, true},
		{"no start", civil.Period{To: day("2025-01-01")}, day("1900-01-01"), true},
		{"no start, after the end", civil.Period{To: day("2025-01-01")}, day("2025-01-02"), false},
		{"no end", civil.Period{From: day("2025-01-01")}, maxDate, true},
		{"no end, before the start", civil.Period{From: day("2025-01-01")}, day("2024-12-31"), false},
		{"the zero Date is in no period", civil.Period{}, civil.Date{}, false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.p.Contains(tt.at), tt.name)
	}
}

func TestPeriodCheckAndString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		p    civil.Period
		err  error
		text string
	}{
		{civil.Period{}, nil, "always"},
		{civil.Period{From: day("2025-03-03")}, nil, "from 2025-03-03"},
		{civil.Period{To: day("2025-03-16")}, nil, "until 2025-03-16"},
		{civil.Period{From: day("2025-03-03"), To: day("2025-03-03")}, nil, "2025-03-03 to 2025-03-03"},
		{civil.Period{From: day("2025-03-04"), To: day("2025-03-03")}, civil.ErrBadPeriod, "2025-03-04 to 2025-03-03"},
	}
	for _, tt := range tests {
		assert.ErrorIs(t, tt.p.Check(), tt.err, tt.text)
		if tt.err == nil {
			assert.NoError(t, tt.p.Check(), tt.text)
		}
		assert.Equal(t, tt.text, tt.p.String())
	}
}

// periodGen draws periods over a few weeks of 2025, open at either end
// one time in four, and sometimes backwards.
func periodGen() *rapid.Generator[civil.Period] {
	return rapid.Custom(func(t *rapid.T) civil.Period {
		base := day("2025-03-01")
		var p civil.Period
		if rapid.IntRange(0, 3).Draw(t, "open-start") > 0 {
			p.From = base.AddDays(rapid.IntRange(0, 30).Draw(t, "from"))
		}
		if rapid.IntRange(0, 3).Draw(t, "open-end") > 0 {
			p.To = base.AddDays(rapid.IntRange(0, 30).Draw(t, "to"))
		}
		return p
	})
}

// TestPeriodOverlapsProperty holds Overlaps against a day-by-day search
// over a window wider than any drawn period, and Days against counting.
func TestPeriodOverlapsProperty(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		p, q := periodGen().Draw(t, "p"), periodGen().Draw(t, "q")
		first := day("2025-02-01")
		shared, days := false, 0
		for d := first; d.Before(day("2025-05-01")); d = d.AddDays(1) {
			if p.Contains(d) && q.Contains(d) {
				shared = true
			}
			if p.Contains(d) {
				days++
			}
		}
		valid := p.Check() == nil && q.Check() == nil
		if got := p.Overlaps(q); got != (valid && shared) {
			t.Fatalf("%v overlaps %v = %v, want %v", p, q, got, valid && shared)
		}
		if p.Overlaps(q) != q.Overlaps(p) {
			t.Fatalf("Overlaps is not symmetric for %v, %v", p, q)
		}
		if !p.From.IsZero() && !p.To.IsZero() && p.Days() != days {
			t.Fatalf("%v has %d days, counted %d", p, p.Days(), days)
		}
		if err := p.Check(); err != nil && !errors.Is(err, civil.ErrBadPeriod) {
			t.Fatalf("Check of %v = %v", p, p.Check())
		}
	})
}

func TestPeriodJSON(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		p := periodGen().Draw(t, "p")
		b, err := json.Marshal(p)
		require.NoError(t, err)
		var got civil.Period
		require.NoError(t, json.Unmarshal(b, &got))
		if got != p {
			t.Fatalf("%s decoded as %v, want %v", b, got, p)
		}
	})
	b, err := json.Marshal(civil.Period{})
	require.NoError(t, err)
	assert.JSONEq(t, `{}`, string(b), "open ends are left out")
}

func TestBadDateJSON(t *testing.T) {
	t.Parallel()
	for _, in := range []string{`"2025-02-29"`, `"0000-12-31"`, `20250101`, `"` + strings.Repeat("9", 1<<20) + `"`} {
		var d civil.Date
		err := json.Unmarshal([]byte(in), &d)
		require.ErrorIs(t, err, civil.ErrBadDate)
		assert.Less(t, len(err.Error()), 100, "the error quotes a long text only in part")
	}
}
