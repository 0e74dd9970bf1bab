package norm

import (
	"fmt"
	"math"
	"strconv"

	"github.com/caseload/caseload/civil"
)

// A CaseType is the caseload norm for one type of case: the maximum
// number of open cases of this type for one full-time worker. The
// collective agreement for youth care in the Netherlands (CAO
// Jeugdzorg) sets, per 36-hour FTE, 16 supervision orders in their first
// year, 21 in later years and 28 guardianships.
type CaseType struct {
	Name   string  `json:"name"`    // the case type; required and unique
	PerFTE float64 `json:"per_fte"` // open cases of this type per FTE; must be positive
}

// Rounding is the rule that turns a prorated caseload norm into the
// limit a worker may carry. Every rule gives the same number of cases of
// each type whatever type the norm names as its reference: a limit
// rounded in shares of the reference type would not (with norms of 16
// and 28 per FTE, 0.8 FTE rounded down to 12 shares of the 16-type
// admits 21 cases of the 28-type, and rounded in shares of the 28-type
// 22). The zero Rounding is [RoundDown].
type Rounding int

// Rounding rules.
const (
	// RoundDown keeps the exact prorated limit in shares, so a
	// caseload of one type T admits PerFTE(T) × FTE cases rounded down:
	// 0.8 FTE under a norm of 28 per FTE carries 22 (22.4 rounded
	// down), under one of 21 carries 16. [CaseloadNorm.Cases] gives that
	// whole number for each type. A number of cases within rounding
	// error below a whole number (21 × 0.99999999995) counts as that
	// number, for every type at once: the limit is raised by that hair.
	RoundDown Rounding = iota
	// RoundNearest rounds the prorated norm of the finest type, the one
	// with the most cases per FTE, to the nearest whole case (halves
	// up) and sets the limit to that many of its cases, so the limit
	// moves by at most half of the smallest case. The other types follow
	// in proportion: with 16, 21 and 28 per FTE, 32 of 36 hours gives
	// 28 × 32/36 = 24.9, rounded to 25 of the 28-type, which is room
	// for 18 cases of the 21-type (18.75) or 14 of the 16-type (14.3).
	// A norm with one type rounds its cases to the nearest: 18.67
	// gives 19.
	RoundNearest
	// RoundNone keeps the exact prorated limit, as RoundDown does: a
	// limit in shares admits only whole cases, so the two rules admit
	// the same. It is kept for norms that name it.
	RoundNone
)

var roundingNames = [...]string{"down", "nearest", "none"}

// String returns "down", "nearest" or "none".
func (r Rounding) String() string {
	if r >= 0 && int(r) < len(roundingNames) {
		return roundingNames[r]
	}
	return fmt.Sprintf("rounding(%d)", int(r))
}

// MarshalText encodes r as its name.
func (r Rounding) MarshalText() ([]byte, error) {
	if r < 0 || int(r) >= len(roundingNames) {
		return nil, fmt.Errorf("norm: unknown rounding %d", int(r))
	}
	return []byte(r.String()), nil
}

// UnmarshalText decodes a name written by MarshalText.
func (r *Rounding) UnmarshalText(b []byte) error {
	for i, n := range roundingNames {
		if string(b) == n {
			*r = Rounding(i)
			return nil
		}
	}
	return fmt.Errorf("norm: unknown rounding %q", b)
}

// A Band is the range of caseload, in shares per FTE, a team should sit
// in. Norms are averages: the team is held to the band while individuals
// may be above or below it for a while. The agreement quoted at
// [CaseType] applies its norms to the team as such a band.
type Band struct {
	// Min is the lower bound in shares per FTE. Zero means no lower
	// bound.
	Min float64 `json:"min,omitempty"`
	// Max is the upper bound in shares per FTE. Zero means the norm of
	// the reference type.
	Max float64 `json:"max,omitempty"`
}

// A CaseloadNorm sets the maximum open cases per full-time worker, per
// case type. A worker with a mix of types counts each case as a share of
// its type's norm, expressed in cases of the reference type: with the
// reference at 21 per FTE, a type at 28 per FTE counts 21/28 = 0.75 and a
// type at 16 counts 21/16 = 1.3125.
type CaseloadNorm struct {
	// FullTime is the hours per week of one FTE, e.g. 36. Required.
	FullTime HoursPerWeek `json:"full_time"`
	// Types lists the norms per case type; at least one.
	Types []CaseType `json:"types"`
	// Reference names the type whose case counts one share. Empty means
	// the first of Types.
	Reference string `json:"reference,omitempty"`
	// Rounding rounds each worker's limit; the zero value is [RoundDown].
	Rounding Rounding `json:"rounding,omitzero"`
	// Band is the team band used by [CheckBand].
	Band Band `json:"band,omitzero"`
}

// Validate reports every fault in n at once; nil means n is valid.
func (n CaseloadNorm) Validate() error {
	var f faults
	n.validate(&f, top("CaseloadNorm"))
	return f.err()
}

func (n CaseloadNorm) validate(f *faults, at where) {
	f.amount(at, ".FullTime", "", float64(n.FullTime))
	if n.FullTime == 0 {
		f.add(at, ".FullTime", "", ErrMissing)
	}
	if len(n.Types) == 0 {
		f.add(at, ".Types", "", ErrMissing)
	}
	seen := make(map[string]bool, len(n.Types))
	for i, t := range n.Types {
		p := func() string { return item(at, "Types", i) }
		if t.Name == "" {
			f.add(p, ".Name", "", ErrMissing)
		} else if seen[t.Name] {
			f.add(p, ".Name", t.Name, ErrDuplicate)
		}
		seen[t.Name] = true
		f.amount(p, ".PerFTE", t.Name, t.PerFTE)
		if t.PerFTE == 0 {
			f.add(p, ".PerFTE", t.Name, ErrMissing)
		}
	}
	if n.Reference != "" && !seen[n.Reference] {
		f.add(at, ".Reference", n.Reference, ErrUnknownType)
	}
	if n.Rounding < 0 || int(n.Rounding) >= len(roundingNames) {
		f.add(at, ".Rounding", "", ErrRange)
	}
	f.amount(at, ".Band.Min", "", n.Band.Min)
	f.amount(at, ".Band.Max", "", n.Band.Max)
	if lo, hi := n.Band.Min, n.band().Max; lo > hi && isFinite(hi) {
		f.add(at, ".Band", "", ErrRange)
	}
}

// reference returns the reference type's norm per FTE, or zero when n
// has no valid reference.
func (n CaseloadNorm) reference() float64 {
	if n.Reference == "" {
		if len(n.Types) == 0 {
			return 0
		}
		return n.Types[0].PerFTE
	}
	for _, t := range n.Types {
		if t.Name == n.Reference {
			return t.PerFTE
		}
	}
	return 0
}

// band returns n.Band with a zero Max replaced by the reference norm.
func (n CaseloadNorm) band() Band {
	b := n.Band
	if b.Max == 0 {
		b.Max = n.reference()
	}
	return b
}

// Share returns the shares one open case of caseType counts: the
// reference type's norm divided by caseType's norm. It errors when n is
// not valid, does not list caseType, or the ratio overflows a float64
// ([ErrRange]).
func (n CaseloadNorm) Share(caseType string) (Shares, error) {
	if err := n.Validate(); err != nil {
		return 0, err
	}
	for _, t := range n.Types {
		if t.Name == caseType {
			s := n.reference() / t.PerFTE
			if !isFinite(s) { // a PerFTE so small that the ratio overflows
				return 0, &InputError{Field: "caseType", Name: caseType, Err: ErrRange}
			}
			return Shares(s), nil
		}
	}
	return 0, &InputError{Field: "caseType", Name: caseType, Err: ErrUnknownType}
}

// MaxCaseCount is the most open cases of one type that [CaseloadNorm.Load]
// accepts for one worker or team, and the most [CaseloadNorm.Cases]
// returns; larger counts are rejected as typing mistakes, and keep sums
// far from overflow.
const MaxCaseCount = 1_000_000

// A CaseCount is a number of open cases of one type.
type CaseCount struct {
	Type  string `json:"type"`  // a type listed in the norm
	Count int    `json:"count"` // open cases, 0 to MaxCaseCount; zero means none
}

// Load returns the caseload of counts in shares: the sum over case types,
// in the order of n.Types, of count × [CaseloadNorm.Share]. A type may
// appear in counts more than once; its counts add up. It errors when n is
// not valid, a type is unknown, a count is negative ([ErrNegative]), or
// the counts of one type add up to more than [MaxCaseCount] ([ErrRange],
// naming the count that crosses it), or the load in shares overflows a
// float64 ([ErrRange]).
func (n CaseloadNorm) Load(counts []CaseCount) (Shares, error) {
	var f faults
	n.validate(&f, top("CaseloadNorm"))
	if len(f) > 0 {
		return 0, f.err()
	}
	perType := make([]int, len(n.Types))
	for i, c := range counts {
		p := func() string { return "counts[" + strconv.Itoa(i) + "]" }
		j := -1
		for k, t := range n.Types {
			if t.Name == c.Type {
				j = k
				break
			}
		}
		if j < 0 {
			f.add(p, ".Type", c.Type, ErrUnknownType)
			continue
		}
		switch {
		case c.Count < 0:
			f.add(p, ".Count", c.Type, ErrNegative)
		case c.Count > MaxCaseCount-perType[j]: // perType[j] <= MaxCaseCount: no overflow
			f.add(p, ".Count", c.Type, ErrRange)
		default:
			perType[j] += c.Count
		}
	}
	if err := f.err(); err != nil {
		return 0, err
	}
	ref := n.reference()
	var s float64
	for k, t := range n.Types {
		if perType[k] != 0 {
			s += float64(perType[k]) * (ref / t.PerFTE)
		}
	}
	if !isFinite(s) { // a PerFTE so small that the shares overflow
		return 0, &InputError{Field: "counts", Err: ErrRange}
	}
	return Shares(s), nil
}

// A Limit is the caseload norm of one worker on one date: the number to
// copy into the caseload norm of a balance.Worker, in shares.
type Limit struct {
	// Worker is the contract's Worker, copied; empty when the contract
	// names none.
	Worker string `json:"worker,omitempty"`
	// At is the date the limit holds on; never the zero Date.
	At civil.Date `json:"at"`
	// FTE is the casework capacity on At ([Capacity]'s Available) as
	// full-time equivalents of the norm's full-time week. It includes
	// side duties, reductions in force, expertise and onboarding. Zero
	// means no casework capacity on At.
	FTE FTE `json:"fte"`
	// Exact is the reference norm per FTE times FTE, in shares, before
	// rounding; zero when FTE is zero.
	Exact Shares `json:"exact"`
	// Shares is the limit in shares, Exact rounded by the norm's
	// [Rounding] rule: Exact itself under RoundDown and RoundNone, but
	// for a millionth of a case at most where a whole case is within
	// rounding error of fitting (see [RoundDown]). A caseload fits when
	// its shares ([CaseloadNorm.Load]) are at most Shares;
	// [CaseloadNorm.Cases] gives the whole number of cases of one type
	// that fit. Zero means the worker should take no cases on At (no
	// capacity, not started or fully absent), which is not the same as
	// "no limit".
	Shares Shares `json:"shares"`
}

// CaseloadLimit returns the caseload norm of the worker with contract c
// on at: the reference type's norm per FTE, prorated by the casework
// capacity on at (contract hours, side duties, reductions in force,
// expertise and onboarding, as [Capacity] computes them) divided by
// n.FullTime, and rounded by n.Rounding. A 32-hour worker under a norm
// of 21 cases per 36 hours gets 21 × 32/36 = 18.67 shares, room for 18
// cases. The number of cases of each type the limit admits does not
// depend on which type is the reference (see [Rounding]). It errors when
// n or c is not valid or at is zero. Its cost is linear in the number of
// items of c and of types of n.
func CaseloadLimit(n CaseloadNorm, c Contract, at civil.Date) (Limit, error) {
	var f faults
	n.validate(&f, top("CaseloadNorm"))
	c.validate(&f, top("Contract"))
	if at.IsZero() {
		f.add(top("At"), "", c.Worker, ErrMissing)
	}
	if err := f.err(); err != nil {
		return Limit{}, err
	}
	var cc compiled
	cc.compile(&c)
	avail, _ := cc.available(dayNumber(at), &c, nil)
	fte := HoursToFTE(HoursPerWeek(avail), n.FullTime)
	ref := n.reference()
	g := float64(fte) // the limit in FTE, before the reference type scales it
	if n.Rounding == RoundNearest {
		// Whole cases of the finest type.
		finest := n.Types[0].PerFTE
		for _, t := range n.Types[1:] {
			finest = max(finest, t.PerFTE)
		}
		g = math.Floor(finest*g+0.5) / finest
	}
	return Limit{
		Worker: c.Worker,
		At:     at,
		FTE:    fte,
		Exact:  Shares(finite(ref * float64(fte))),
		Shares: Shares(finite(ref * n.snap(g))),
	}, nil
}

// snap returns the limit g, in FTE, raised where a whole case of some
// type is within rounding error of fitting: where PerFTE × g lies a
// hair below a whole number k, g becomes k / PerFTE. Without it, the
// tolerance with which a caseload is held to its limit (1e-9 shares,
// see [CaseloadNorm.Cases]) would decide whether the k-th case fits, and
// as a share is worth a different number of cases under each reference
// type, so would the reference. The hair is the widest band in which
// that could happen, 2e-9 shares of the smallest-norm type, and never
// more than a millionth of a case. Raising g for one type may bring
// another near a whole number, so it repeats, at most once per type.
func (n CaseloadNorm) snap(g float64) float64 {
	if !(g > 0) || !isFinite(g) {
		return g
	}
	least := n.Types[0].PerFTE
	for _, t := range n.Types[1:] {
		least = min(least, t.PerFTE)
	}
	for range len(n.Types) + 1 {
		raised := false
		for _, t := range n.Types {
			x := t.PerFTE * g
			next := math.Floor(x) + 1
			if hair := min(2*limitTolerance*t.PerFTE/least, 1e-6); next-x <= hair {
				if up := next / t.PerFTE; up > g && isFinite(up) {
					g, raised = up, true
				}
			}
		}
		if !raised {
			break
		}
	}
	return g
}

// limitTolerance is how far, in shares, a caseload may exceed a limit
// and still fit, absorbing floating-point rounding: 21 cases of 16/21
// shares each are 16 shares, though not exactly in binary.
const limitTolerance = 1e-9

// Cases returns the whole number of open cases of caseType alone that
// the limit l admits: the most k with k × [CaseloadNorm.Share] ≤
// l.Shares, within 1e-9 shares, and at most [MaxCaseCount]. Under
// [RoundDown] that is PerFTE × l.FTE rounded down, whatever the
// reference type: 0.8 FTE under a norm of 28 per FTE gives 22. Give it
// a Limit that [CaseloadLimit] returned for n. It errors when n is not
// valid, does not list caseType ([ErrUnknownType]), or l.Shares is
// negative or not finite.
func (n CaseloadNorm) Cases(l Limit, caseType string) (int, error) {
	share, err := n.Share(caseType)
	if err != nil {
		return 0, err
	}
	var f faults
	f.amount(top("l.Shares"), "", l.Worker, float64(l.Shares))
	if err := f.err(); err != nil {
		return 0, err
	}
	s, lim := float64(share), float64(l.Shares)+limitTolerance
	k := math.Floor(min(lim/s, MaxCaseCount+1))
	for k > 0 && k*s > lim {
		k--
	}
	for k < MaxCaseCount && (k+1)*s <= lim {
		k++
	}
	return int(min(k, MaxCaseCount)), nil
}
