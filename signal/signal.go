package signal

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/caseload/caseload/civil"
)

// Severity grades a [Signal]. The zero Severity is [Info].
type Severity int

// Severities, from least to most urgent.
const (
	Info     Severity = iota // worth knowing; no action needed
	Warning                  // worth a conversation soon
	Critical                 // act now
)

var severityNames = [...]string{"info", "warning", "critical"}

// String returns "info", "warning" or "critical".
func (s Severity) String() string {
	if s >= 0 && int(s) < len(severityNames) {
		return severityNames[s]
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// MarshalText encodes s as its name. It fails for an unknown severity.
func (s Severity) MarshalText() ([]byte, error) {
	if s < 0 || int(s) >= len(severityNames) {
		return nil, fmt.Errorf("signal: unknown severity %d", int(s))
	}
	return []byte(s.String()), nil
}

// UnmarshalText decodes a name written by MarshalText.
func (s *Severity) UnmarshalText(b []byte) error {
	for i, n := range severityNames {
		if string(b) == n {
			*s = Severity(i)
			return nil
		}
	}
	return fmt.Errorf("signal: unknown severity %q", truncate(string(b)))
}

// A Kind says what a subject is.
type Kind string

// Kinds of subject.
const (
	Worker Kind = "worker"
	Case   Kind = "case"
	Skill  Kind = "skill"
	Family Kind = "family"
	Team   Kind = "team"
)

// A Subject is what a signal is about: a kind and an ID, such as
// {Worker, "ann"} or {Team, "north"}. The ID of a team may be empty.
type Subject struct {
	Kind Kind   `json:"kind"`
	ID   string `json:"id,omitempty"`
}

// String returns "worker ann", or "team" for a team without an ID.
func (s Subject) String() string {
	if s.ID == "" {
		return string(s.Kind)
	}
	return string(s.Kind) + " " + s.ID
}

// Compare orders subjects by kind, then ID.
func (s Subject) Compare(t Subject) int {
	return cmp.Or(strings.Compare(string(s.Kind), string(t.Kind)), strings.Compare(s.ID, t.ID))
}

// A Figure is one number behind a signal, named, with its unit, such as
// {"load", 34.5, "h/wk"}.
type Figure struct {
	Name  string  `json:"name"`
	Value float64 `json:"value"`
	Unit  string  `json:"unit,omitempty"`
}

// String returns "load 34.5 h/wk".
func (f Figure) String() string {
	s := f.Name + " " + trim(f.Value)
	if f.Unit != "" {
		s += " " + f.Unit
	}
	return s
}

// A Signal is one early warning. Tests and programs compare Code;
// people read Message.
type Signal struct {
	// Code names the kind of signal, such as "load.over" or
	// "pace.behind"; the package that raises it documents its codes and
	// the unit of Value for each.
	Code string `json:"code"`
	// Severity grades the signal.
	Severity Severity `json:"severity"`
	// Subject is what the signal is about.
	Subject Subject `json:"subject"`
	// Value is the measured value, in the unit its code documents.
	Value float64 `json:"value"`
	// Threshold is the bound Value crossed, in the unit of Value.
	Threshold float64 `json:"threshold"`
	// Since is the first date on which the signal held, where history
	// tells; the zero Date means unknown or today.
	Since civil.Date `json:"since,omitzero"`
	// Projected is the date on which a trend is projected to cross
	// Threshold; the zero Date means the signal is not a projection.
	Projected civil.Date `json:"projected,omitzero"`
	// Figures are the numbers behind the signal, in a fixed order.
	Figures []Figure `json:"figures,omitempty"`
	// Message is an English sentence built from the fields above.
	Message string `json:"message"`
}

// Compare orders signals most severe first, then by code, then by
// subject, then by message, so that a sorted list does not depend on the
// order in which signals were raised.
func Compare(a, b Signal) int {
	return cmp.Or(cmp.Compare(b.Severity, a.Severity), strings.Compare(a.Code, b.Code),
		a.Subject.Compare(b.Subject), strings.Compare(a.Message, b.Message))
}

// Sort sorts signals by [Compare].
func Sort(signals []Signal) { slices.SortStableFunc(signals, Compare) }

// ErrInvalid is wrapped by the errors of [Signal.Check].
var ErrInvalid = errors.New("signal: invalid signal")

// Check reports a signal that a program could not show as it is: an
// empty code or subject kind, an unknown severity, or a number that is
// not finite. It exists for programs that store signals and read them
// back, and for tests.
func (s Signal) Check() error {
	var faults []string
	if s.Code == "" {
		faults = append(faults, "empty code")
	}
	if s.Subject.Kind == "" {
		faults = append(faults, "empty subject kind")
	}
	if s.Severity < Info || s.Severity > Critical {
		faults = append(faults, fmt.Sprintf("unknown severity %d", int(s.Severity)))
	}
	if !finite(s.Value) || !finite(s.Threshold) {
		faults = append(faults, "a value or threshold that is not finite")
	}
	for _, f := range s.Figures {
		if !finite(f.Value) {
			faults = append(faults, "figure "+truncate(f.Name)+" is not finite")
		}
	}
	if len(faults) > 0 {
		return fmt.Errorf("%w %q about %s: %s", ErrInvalid, truncate(s.Code), truncate(s.Subject.String()), strings.Join(faults, ", "))
	}
	return nil
}

func finite(x float64) bool { return x-x == 0 }

// trim prints x with at most two decimals and no trailing zeros.
func trim(x float64) string {
	s := fmt.Sprintf("%.2f", x)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// truncate keeps a quoted text in an error short.
func truncate(s string) string {
	const n = 64
	if len(s) <= n {
		return s
	}
	i := n
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}
