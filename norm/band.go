package norm

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"

	"github.com/caseload/caseload/signal"
)

// Position says where a caseload sits relative to a [Band]. The zero
// Position is [Within].
type Position int

// Positions relative to a band. Both bounds belong to the band: exactly
// the maximum is within.
const (
	Within Position = iota // from the band's Min to its Max, both included
	Below                  // below Min shares per FTE
	Above                  // above Max shares per FTE, or any load without FTE
)

var positionNames = [...]string{"within", "below", "above"}

// String returns "within", "below" or "above".
func (p Position) String() string {
	if p >= 0 && int(p) < len(positionNames) {
		return positionNames[p]
	}
	return fmt.Sprintf("position(%d)", int(p))
}

// MarshalText encodes p as its name.
func (p Position) MarshalText() ([]byte, error) {
	if p < 0 || int(p) >= len(positionNames) {
		return nil, fmt.Errorf("norm: unknown position %d", int(p))
	}
	return []byte(p.String()), nil
}

// UnmarshalText decodes a name written by MarshalText, so that a
// [BandReport] can be read back from JSON.
func (p *Position) UnmarshalText(b []byte) error {
	for i, n := range positionNames {
		if string(b) == n {
			*p = Position(i)
			return nil
		}
	}
	return fmt.Errorf("norm: unknown position %q", b)
}

// A MemberLoad is one team member's caseload and casework capacity, as
// input to [CheckBand]. Take FTE from [Limit].FTE or [Breakdown].FTE and
// Load from [CaseloadNorm.Load].
type MemberLoad struct {
	Worker string `json:"worker"` // required and unique within the team
	FTE    FTE    `json:"fte"`    // casework capacity; zero means none
	Load   Shares `json:"load"`   // open caseload; zero means no cases
}

// A Standing is where one worker, or the whole team, sits in the band.
type Standing struct {
	// Subject is the worker's name, or the team's name ("team" when
	// [CheckBand] is given none).
	Subject string `json:"subject"`
	// FTE is the casework capacity in full-time equivalents, as given
	// (summed for the team); zero means none.
	FTE FTE `json:"fte"`
	// Load is the open caseload in shares, as given (summed for the
	// team); zero means no cases.
	Load Shares `json:"load"`
	// PerFTE is Load divided by FTE, in shares per FTE; zero when FTE is
	// zero.
	PerFTE float64 `json:"per_fte"`
	// Position compares PerFTE with the band. With zero FTE any load is
	// above and no load is within.
	Position Position `json:"position"`
}

// A BandReport says where a team sits in its caseload band and which
// members are outside it.
type BandReport struct {
	// Min is the band's lower bound in shares per FTE; zero means none.
	Min float64 `json:"min"`
	// Max is the band's upper bound in shares per FTE, with the default
	// (the reference norm) applied, so never zero for a valid norm.
	Max float64 `json:"max"`
	// Team sums the members' loads and FTE.
	Team Standing `json:"team"`
	// Headroom is Max × team FTE − team load, in shares: how many the team
	// can take before it leaves its band at the top; negative when above.
	Headroom Shares `json:"headroom"`
	// Members lists every member, by worker name.
	Members []Standing `json:"members"`
	// Outside lists the members below or above the band, by worker name.
	Outside []Standing `json:"outside,omitempty"`
}

// CheckBand reports where team sits in the band of n (see [Band]) and
// which members are outside it. Totals are summed in worker-name order.
// It errors when n is not valid, a member has no or a duplicate name, or
// an FTE or load is negative or not finite. Its cost is O(m log m) for m
// members.
func CheckBand(n CaseloadNorm, team string, members []MemberLoad) (BandReport, error) {
	var f faults
	n.validate(&f, top("CaseloadNorm"))
	seen := make(map[string]bool, len(members))
	for i, m := range members {
		p := func() string { return "members[" + strconv.Itoa(i) + "]" }
		if m.Worker == "" {
			f.add(p, ".Worker", "", ErrMissing)
		} else if seen[m.Worker] {
			f.add(p, ".Worker", m.Worker, ErrDuplicate)
		}
		seen[m.Worker] = true
		f.amount(p, ".FTE", m.Worker, float64(m.FTE))
		f.amount(p, ".Load", m.Worker, float64(m.Load))
	}
	if err := f.err(); err != nil {
		return BandReport{}, err
	}
	b := n.band()
	sorted := slices.Clone(members)
	slices.SortFunc(sorted, func(a, b MemberLoad) int { return cmp.Compare(a.Worker, b.Worker) })
	r := BandReport{Min: b.Min, Max: b.Max, Members: make([]Standing, 0, len(sorted))}
	var fte, load float64
	for _, m := range sorted {
		s := standing(b, m.Worker, float64(m.FTE), float64(m.Load))
		r.Members = append(r.Members, s)
		if s.Position != Within {
			r.Outside = append(r.Outside, s)
		}
		fte += float64(m.FTE)
		load += float64(m.Load)
	}
	if team == "" {
		team = "team"
	}
	r.Team = standing(b, team, finite(fte), finite(load))
	r.Headroom = Shares(finite(b.Max*finite(fte) - finite(load)))
	return r, nil
}

func standing(b Band, subject string, fte, load float64) Standing {
	s := Standing{Subject: subject, FTE: FTE(fte), Load: Shares(load)}
	if fte > 0 {
		s.PerFTE = finite(load / fte)
	}
	switch {
	case fte == 0 && load > 0:
		s.Position = Above
	case fte == 0:
		s.Position = Within
	case s.PerFTE > b.Max:
		s.Position = Above
	case s.PerFTE < b.Min:
		s.Position = Below
	}
	return s
}

// Signals returns a [signal.Signal] for the team if it is outside its band and
// one for each member outside it, in that order. Value is the caseload
// in shares per FTE (in shares when the subject has no FTE) and
// Threshold the band bound crossed. Codes: "caseload.team-above-band"
// (warning), "caseload.team-below-band" (info), "caseload.above-band"
// (warning), "caseload.below-band" (info). Individuals outside the band
// are not critical: norms are averages.
func (r BandReport) Signals() []signal.Signal {
	var out []signal.Signal
	if s, ok := r.signal(r.Team, "caseload.team-", signal.Team); ok {
		out = append(out, s)
	}
	for _, m := range r.Outside {
		if s, ok := r.signal(m, "caseload.", signal.Worker); ok {
			out = append(out, s)
		}
	}
	return out
}

func (r BandReport) signal(s Standing, prefix string, kind signal.Kind) (signal.Signal, bool) {
	subject := signal.Subject{Kind: kind, ID: s.Subject}
	f1 := func(x float64) string { return strconv.FormatFloat(x, 'f', 1, 64) }
	switch {
	case s.Position == Above && s.FTE == 0:
		return signal.Signal{Code: prefix + "above-band", Subject: subject, Value: float64(s.Load),
			Severity: signal.Warning,
			Message: fmt.Sprintf("%s carries %s shares without casework capacity",
				s.Subject, f1(float64(s.Load)))}, true
	case s.Position == Above:
		return signal.Signal{Code: prefix + "above-band", Subject: subject, Value: s.PerFTE, Threshold: r.Max,
			Severity: signal.Warning,
			Message: fmt.Sprintf("%s carries %s shares per FTE, above the band maximum of %s",
				s.Subject, f1(s.PerFTE), f1(r.Max))}, true
	case s.Position == Below:
		return signal.Signal{Code: prefix + "below-band", Subject: subject, Value: s.PerFTE, Threshold: r.Min,
			Severity: signal.Info,
			Message: fmt.Sprintf("%s carries %s shares per FTE, below the band minimum of %s",
				s.Subject, f1(s.PerFTE), f1(r.Min))}, true
	}
	return signal.Signal{}, false
}
