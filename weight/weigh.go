package weight

import (
	"math"
	"strconv"
	"strings"
)

// A Weight is what one case costs: hours per week, with a separate
// severity and a breakdown that explains both.
type Weight struct {
	// Hours is the case's weight in hours per week. It is finite, not
	// negative, and equals the sum of Breakdown's Hours taken in order,
	// exactly, in float64 arithmetic.
	Hours HoursPerWeek `json:"hours"`
	// Severity is the case's emotional and safety load, in points on the
	// organisation's scale: the type's base severity plus that of each
	// factor that applies, summed in Breakdown order. Zero means none.
	Severity Severity `json:"severity"`
	// Breakdown lists each contribution in the order it was applied: the
	// base first, then additive and per-unit factors, then multipliers,
	// then the model's cap. Factors that do not apply are left out.
	Breakdown []Contribution `json:"breakdown"`
	// Ignored lists, sorted, the case's unknown attributes and phase that
	// were skipped under [Options].IgnoreUnknown, e.g. "Flags[urgent]" or
	// "Phase[closing]". Nil means none.
	Ignored []string `json:"ignored,omitempty"`
}

// String formats w's totals, e.g. "4.9 h/wk, 3.0 sev".
func (w Weight) String() string { return w.Hours.String() + ", " + w.Severity.String() }

// A Contribution is one line of a [Weight]'s breakdown.
type Contribution struct {
	// Name is the factor's name; for the Base line the type's name, or
	// "type/phase"; for the Limit line "max".
	Name string `json:"name"`
	// Units is the part of the attribute above the factor's threshold, in
	// the attribute's unit (1 for a flag). Zero for the Base and Limit
	// lines.
	Units float64 `json:"units,omitempty"`
	// Value is the factor's Value (hours per week, hours per week per
	// unit, or a pure-number multiplier), the base hours per week for
	// Base, or MaxHours for Limit.
	Value float64 `json:"value,omitempty"`
	// Hours is what this line adds, in hours per week. It is negative for
	// a multiplier below 1 and, unless MaxHours cut more than half of the
	// weight, for the Limit line.
	Hours HoursPerWeek `json:"hours"`
	// Severity is what this line adds to the case's severity, in points.
	Severity Severity `json:"severity,omitempty"`
	// Kind is the factor's kind, or Base or Limit.
	Kind Kind `json:"kind"`
	// Capped reports whether a cap cut its Hours: the factor's own Cap,
	// or the model's MaxHours when that cuts more than half of the weight
	// (see [Compiled.Weigh]); then the line may be the Base line.
	Capped bool `json:"capped,omitempty"`
}

// String formats c for a caseworker, e.g. "court ×1.3: +1.2 h/wk" or
// "extra children 2 × 0.6: +1.2 h/wk".
func (c Contribution) String() string {
	var b strings.Builder
	num := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	switch c.Kind {
	case Base:
		b.WriteString("base " + c.Name)
	case Additive:
		b.WriteString(c.Name)
	case PerUnit:
		b.WriteString(c.Name + " " + num(c.Units) + " × " + num(c.Value))
	case Multiplier:
		b.WriteString(c.Name + " ×" + num(c.Value))
	case Limit:
		b.WriteString("max " + HoursPerWeek(c.Value).String())
	}
	b.WriteString(": ")
	if c.Kind != Base && c.Hours >= 0 {
		b.WriteString("+")
	}
	b.WriteString(c.Hours.String())
	if c.Capped {
		b.WriteString(" (capped)")
	}
	if c.Severity != 0 {
		b.WriteString(", ")
		if c.Kind != Base {
			b.WriteString("+")
		}
		b.WriteString(c.Severity.String())
	}
	return b.String()
}

// Weigh returns the weight of the case a under m, as [Compiled.Weigh]
// does. It compiles m each time; to weigh many cases, use [Compile] once
// and [Compiled.Weigh]. A nil opts means the zero [Options]. It returns
// the errors of [Compile] and of [Compiled.Weigh]. Its time is O(size of
// m + attributes of a).
func Weigh(m Model, a Attributes, opts *Options) (Weight, error) {
	c, err := Compile(m, opts)
	if err != nil {
		return Weight{}, err
	}
	return c.Weigh(a)
}

// Weigh returns the weight of the case a, in this fixed order: the base
// hours of a's type (or of its phase); plus each additive and per-unit
// factor that applies, each cut to its cap; then each multiplier that
// applies, in model order, on the running subtotal, its added hours cut to
// its cap; then the model's MaxHours. Each step is one line of the
// breakdown, and the weight is their running sum, so the breakdown adds up
// exactly, in order, in float64 arithmetic. A weight above MaxHours is
// MaxHours, and the breakdown then ends with a Limit line. When MaxHours
// cuts at most half of the weight, the Limit line is MaxHours minus the
// uncut weight and the other lines are as computed. When it cuts more, no
// single line can undo the rounding of the uncut weight, so the cut is
// folded into the lines: the line that takes the running subtotal above
// MaxHours for the last time is cut to reach MaxHours, the lines after it
// add zero, each of them marked Capped, and the Limit line adds only
// what rounding leaves (at most an ulp of MaxHours, usually zero).
//
// It returns every fault of a at once, as [*InputError] values joined
// with [errors.Join] wrapping [ErrUnknownType], [ErrUnknownPhase],
// [ErrUnknownAttribute], [ErrNegative] or [ErrNotFinite], and
// [ErrOverflow] if the weight exceeds the float64 range. It never
// modifies a. Its time is O(factors + attributes of a).
func (c *Compiled) Weigh(a Attributes) (Weight, error) {
	var stack [stackSlots]float64
	var vals []float64
	if c.slots <= stackSlots {
		vals = stack[:c.slots]
	} else {
		vals = make([]float64, c.slots)
	}
	bi, ignored, fs := c.read(&a, vals)
	if len(fs) > 0 {
		return Weight{}, fs.err()
	}
	w := Weight{Ignored: ignored, Breakdown: make([]Contribution, 0, 2+len(c.linear)+len(c.mults))}
	b := &c.bases[bi]
	total, sev := b.hours, b.severity
	w.Breakdown = append(w.Breakdown, Contribution{
		Name: b.name, Kind: Base, Value: b.hours,
		Hours: HoursPerWeek(b.hours), Severity: Severity(b.severity),
	})
	for i := range c.linear {
		f := &c.linear[i]
		u := vals[f.slot] - f.above
		if !(u > 0) {
			continue
		}
		h := f.value
		if f.kind == PerUnit {
			h *= u
		}
		capped := f.cap > 0 && h > f.cap
		if capped {
			h = f.cap
		}
		total += h
		sev += f.severity
		w.Breakdown = append(w.Breakdown, Contribution{
			Name: f.name, Kind: f.kind, Units: u, Value: f.value,
			Hours: HoursPerWeek(h), Severity: Severity(f.severity), Capped: capped,
		})
	}
	for i := range c.mults {
		f := &c.mults[i]
		u := vals[f.slot] - f.above
		if !(u > 0) {
			continue
		}
		h := total * (f.value - 1)
		capped := f.cap > 0 && h > f.cap
		if capped {
			h = f.cap
		}
		total += h
		sev += f.severity
		w.Breakdown = append(w.Breakdown, Contribution{
			Name: f.name, Kind: Multiplier, Units: u, Value: f.value,
			Hours: HoursPerWeek(h), Severity: Severity(f.severity), Capped: capped,
		})
	}
	if math.IsInf(total, 0) || math.IsNaN(total) || math.IsInf(sev, 0) {
		return Weight{}, &InputError{Case: a.ID, Field: "Attributes", Err: ErrOverflow}
	}
	if c.max > 0 && total > c.max {
		w.Breakdown = capBreakdown(w.Breakdown, total, c.max)
		total = c.max
	}
	w.Hours, w.Severity = HoursPerWeek(total), Severity(sev)
	return w, nil
}

// capBreakdown appends to lines, whose Hours add up in order to total,
// the Limit line that takes total down to max, so that all of them add up
// in order to max exactly.
//
// When total ≤ 2·max, the Limit line is max − total, which is exact
// (Sterbenz's lemma), so total + (max − total) = max. When total is larger,
// no single line may bring it back to max in floating point (1e20 + h is
// never 1), so the cut is folded into the lines: the last line that takes
// the running subtotal from at most max to above it is cut to what reaches
// max, the lines after it add zero, each of these marked Capped, and the
// Limit line adds what rounding leaves, max − subtotal, which is again
// exact because the subtotal is then within an ulp of max.
func capBreakdown(lines []Contribution, total, max float64) []Contribution {
	limit := Contribution{Name: "max", Kind: Limit, Value: max}
	if total <= 2*max {
		limit.Hours = HoursPerWeek(max - total)
		return append(lines, limit)
	}
	// cross is the last line before which the running subtotal is at most
	// max; s is that subtotal.
	cross, s, run := 0, 0.0, 0.0
	for i, l := range lines {
		if run <= max {
			cross, s = i, run
		}
		run += float64(l.Hours)
	}
	h := max - s
	lines[cross].Hours, lines[cross].Capped = HoursPerWeek(h), true
	for i := cross + 1; i < len(lines); i++ {
		lines[i].Hours, lines[i].Capped = 0, true
	}
	s += h
	limit.Hours = HoursPerWeek(max - s)
	return append(lines, limit)
}
