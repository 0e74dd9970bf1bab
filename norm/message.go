package norm

import (
	"math"
	"strconv"
)

// phrase returns p's status as the predicate of a sentence, e.g. "is
// behind pace". "No expectation yet" only while more is expected later
// in the year.
func (p Progress) phrase() string {
	switch p.Status {
	case PaceNoExpectation:
		if p.Expected < p.Target {
			return "has no expectation yet"
		}
		return "has no expectation"
	case PaceAhead:
		return "is ahead of pace"
	case PaceOnTrack:
		return "is on track"
	case PaceBehind:
		return "is behind pace"
	case PaceFarBehind:
		return "is far behind pace"
	}
	return "has pace status " + p.Status.String()
}

// detail returns the numbers behind p's status, e.g. "9.5 services
// completed, 11.0 expected (86%, below 90%)". The ratio is printed so
// that, compared with the bounds as printed, it lies in the band of the
// status: see [Progress.Signal].
func (p Progress) detail() string {
	b := p.Bands.withDefaults()
	switch p.Status {
	case PaceNoExpectation:
		return p.noExpectation()
	case PaceAhead:
		return p.done() + " (" + percent(p.Ratio, p.Threshold, math.Inf(1)) + ")"
	case PaceOnTrack:
		return p.done() + " (" + percent(p.Ratio, p.Threshold, b.Ahead) + ")"
	case PaceBehind:
		return p.done() + " (" + percent(p.Ratio, b.FarBehind, p.Threshold) + ", below " + percentBound(p.Threshold) + ")"
	}
	return p.done() + " (" + percent(p.Ratio, math.Inf(-1), p.Threshold) + ", below " + percentBound(p.Threshold) + ")"
}

// noExpectation says why p gives no verdict: too little is expected so
// far, or in the whole year (the year is over, or nothing more is
// expected in it); no casework capacity so far or all year; or a norm
// of zero services.
func (p Progress) noExpectation() string {
	switch {
	case p.Expected > 0:
		dec := max(3, maxDecimals(p.Threshold, 1, maxPercentDecimals))
		s := inBand(float64(p.Expected), math.Inf(-1), p.Threshold, 1, dec) + " services expected"
		if p.Expected >= p.Target {
			s += " in the whole norm year"
		}
		return s + ", a verdict from " + bound(p.Threshold, 1, dec)
	case p.YearFTEDays <= 0:
		return "no casework capacity in the norm year"
	case p.Target <= 0:
		return "the norm expects no services"
	}
	return "no casework capacity in the norm year so far"
}

// done returns e.g. "9.5 services completed, 11.0 expected".
func (p Progress) done() string {
	f1 := func(x Services) string { return strconv.FormatFloat(float64(x), 'f', 1, 64) }
	return f1(p.Completed) + " services completed, " + f1(p.Expected) + " expected"
}

// maxPercentDecimals is the most decimals a percentage is printed with;
// a band bound with more (0.9012345) is printed rounded.
const maxPercentDecimals = 6

// percent prints the ratio r, which its status places in [lo, hi), as a
// percentage in that band: with no decimals when it rounds into the band
// ("86%"), else with one or two ("89.5%", "89.99%"), else rounded
// towards the band at two (or as many as the bounds need).
func percent(r, lo, hi float64) string {
	dec := max(2, maxDecimals(100*lo, 0, maxPercentDecimals), maxDecimals(100*hi, 0, maxPercentDecimals))
	return inBand(100*r, 100*lo, 100*hi, 0, dec) + "%"
}

// percentBound prints the band bound b as a percentage, e.g. "90%" or
// "90.5%".
func percentBound(b float64) string {
	return bound(100*b, 0, maxPercentDecimals) + "%"
}

// maxDecimals returns the fewest decimals, from lo to hi, that print x
// as it prints rounded at hi decimals, or hi if none does. An infinite
// x needs lo.
func maxDecimals(x float64, lo, hi int) int {
	if math.IsInf(x, 0) || math.IsNaN(x) {
		return lo
	}
	u := math.Round(x * math.Pow10(hi)) // x in units of the last digit at hi decimals
	for d := lo; d < hi; d++ {
		if math.Mod(u, math.Pow10(hi-d)) == 0 {
			return d
		}
	}
	return hi
}

// bound prints the band bound x with the fewest decimals, from lo to
// hi, that print it exactly, rounded at hi otherwise.
func bound(x float64, lo, hi int) string {
	return strconv.FormatFloat(x, 'f', maxDecimals(x, lo, hi), 64)
}

// inBand prints x, a value that a status places in [lo, hi) (either may
// be infinite), with at least minDec and at most maxDec decimals, such
// that the printed number lies in [lo, hi) when lo and hi are rounded
// to maxDec decimals, as [bound] prints them. It uses the fewest
// decimals at which x rounds into the band; failing that, x rounded at
// maxDec decimals and moved to the nearest value in the band (a ratio
// within [BoundTolerance] below a bound belongs above it).
func inBand(x, lo, hi float64, minDec, maxDec int) string {
	if !(math.Abs(x) < 1e15) { // beyond exact decimal steps; no band ends there
		return strconv.FormatFloat(math.Max(-math.MaxFloat64, math.Min(x, math.MaxFloat64)), 'g', 3, 64)
	}
	scale := math.Pow10(maxDec)
	loU, hiU := math.Round(lo*scale), math.Round(hi*scale)
	for d := minDec; d <= maxDec; d++ {
		u := math.Round(x*math.Pow10(d)) * math.Pow10(maxDec-d)
		if loU <= u && u < hiU {
			return strconv.FormatFloat(u/scale, 'f', d, 64)
		}
	}
	u := math.Round(x * scale)
	if u >= hiU {
		u = hiU - 1
	}
	if u < loU {
		u = loU
	}
	return strconv.FormatFloat(u/scale, 'f', maxDec, 64)
}
