package norm

import "fmt"

// Severity grades a [Signal]. The zero Severity is [SeverityInfo].
type Severity int

// Severities, from least to most urgent.
const (
	SeverityInfo     Severity = iota // worth knowing; no action needed
	SeverityWarning                  // worth a conversation soon
	SeverityCritical                 // act now
)

var severityNames = [...]string{"info", "warning", "critical"}

// String returns "info", "warning" or "critical".
func (s Severity) String() string {
	if s >= 0 && int(s) < len(severityNames) {
		return severityNames[s]
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// MarshalText encodes s as its name.
func (s Severity) MarshalText() ([]byte, error) {
	if s < 0 || int(s) >= len(severityNames) {
		return nil, fmt.Errorf("norm: unknown severity %d", int(s))
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
	return fmt.Errorf("norm: unknown severity %q", b)
}

// A Signal is an early-warning reading about a worker or a team. It has
// the fields of the signals of package balance (Subject, Value,
// Threshold, Severity, Message), so callers can merge both into one list,
// plus a Code to test and filter on. Tests assert on Code; people read
// Message.
type Signal struct {
	// Code names the kind of signal, e.g. "pace.behind" or
	// "caseload.above-band".
	Code string `json:"code"`
	// Subject is the worker or team the signal is about.
	Subject string `json:"subject"`
	// Value is the measured value; its unit depends on Code and is given
	// where the code is documented.
	Value float64 `json:"value"`
	// Threshold is the band bound Value was compared with, in the unit
	// of Value.
	Threshold float64 `json:"threshold"`
	// Severity grades the signal.
	Severity Severity `json:"severity"`
	// Message is an English sentence built from the fields above.
	Message string `json:"message"`
}
