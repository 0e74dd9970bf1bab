package balance

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/caseload/caseload/civil"
	"github.com/caseload/caseload/signal"
)

// SignalHandoverLate is the code of the signal of a pending handover
// left unanswered too long. Its subject is the handover's first case
// (or its family, when the offer names one); Value is the working days
// the handover has waited since its offer, Threshold the number it
// exceeds; Since is the first day it was late. It is a
// [signal.Warning] past [HandoverOptions.Warn] working days and
// [signal.Critical] past [HandoverOptions.Critical]. Its figures are
// "waited" (working days) and "cases".
const SignalHandoverLate = "handover.late"

// HandoverOptions sets when a pending handover ages into a signal. The
// zero value, and a nil pointer, mean the documented defaults.
type HandoverOptions struct {
	// Warn is how many working days (Monday to Friday, after the day of
	// the offer) a handover may wait for an answer before it raises a
	// warning: offered on a Monday with Warn 3, it is answered in time
	// through Thursday and late from Friday. Zero means 3; at most 520.
	Warn int `json:"warn,omitempty"`
	// Critical is how many working days it may wait before the signal
	// is critical. Zero means 10; it must exceed Warn, and be at most
	// 520.
	Critical int `json:"critical,omitempty"`
}

// resolve checks o and returns its thresholds, in working days.
func (o *HandoverOptions) resolve(field string) (warn, crit int, err error) {
	warn, crit = 3, 10
	if o == nil {
		return warn, crit, nil
	}
	var errs []error
	set := func(name string, v int, dst *int) {
		switch {
		case v < 0 || v > maxLookahead:
			errs = append(errs, &InputError{Field: field + "." + name,
				Err: fmt.Errorf("%w: %d working days is not in 0 to %d", ErrBadOption, v, maxLookahead)})
		case v > 0:
			*dst = v
		}
	}
	set("Warn", o.Warn, &warn)
	set("Critical", o.Critical, &crit)
	if len(errs) == 0 && crit <= warn {
		errs = append(errs, &InputError{Field: field + ".Critical",
			Err: fmt.Errorf("%w: %d working days is not above Warn, %d", ErrBadOption, crit, warn)})
	}
	if len(errs) > 0 {
		return 0, 0, joinErrors(errs)
	}
	return warn, crit, nil
}

// workingDaysAfter counts the working days (Monday to Friday) d with
// from < d <= to: 0 when to is not after from, or either is zero. It
// takes constant time.
func workingDaysAfter(from, to civil.Date) int {
	if from.IsZero() || to.IsZero() || !to.After(from) {
		return 0
	}
	n := to.Sub(from)
	count := n / 7 * 5
	for d := from.AddDays(n / 7 * 7); d.Before(to); {
		d = d.AddDays(1)
		if d.IsWeekday() {
			count++
		}
	}
	return count
}

// HandoverSignals returns a [SignalHandoverLate] signal for each
// pending handover in hs that has waited longer than opts allows on
// date asOf, sorted by [signal.Sort]. Handovers that are not pending
// raise nothing. Signals inform: the library never expires a handover.
//
// It fails with an [*InputError] for an unset asOf ([ErrNoDate]) or bad
// options ([ErrBadOption]). It takes O(h log h) time for h handovers.
func HandoverSignals(hs []Handover, asOf civil.Date, opts *HandoverOptions) ([]signal.Signal, error) {
	warn, crit, err := opts.resolve("HandoverOptions")
	if err != nil {
		return nil, err
	}
	if asOf.IsZero() {
		return nil, &InputError{Field: "asOf", Err: ErrNoDate}
	}
	var out []signal.Signal
	for i := range hs {
		if s, late := lateSignal(&hs[i], asOf, warn, crit); late {
			out = append(out, s)
		}
	}
	signal.Sort(out)
	return out, nil
}

// lateSignal returns the signal of h on date asOf, and whether h is
// pending and late.
func lateSignal(h *Handover, asOf civil.Date, warn, crit int) (signal.Signal, bool) {
	waited := workingDaysAfter(h.Offered, asOf)
	if !h.Pending() || waited <= warn {
		return signal.Signal{}, false
	}
	s := signal.Signal{
		Code:      SignalHandoverLate,
		Severity:  signal.Warning,
		Subject:   handoverSubject(h),
		Value:     float64(waited),
		Threshold: float64(warn),
		Since:     h.Offered.AddWorkingDays(warn + 1),
		Figures: []signal.Figure{
			{Name: "waited", Value: float64(waited), Unit: "working days"},
			{Name: "cases", Value: float64(len(h.Cases))},
		},
	}
	if waited > crit {
		s.Severity, s.Threshold = signal.Critical, float64(crit)
	}
	s.Message = fmt.Sprintf("handover %s of %s from %s to %s has waited %d working days for an answer, more than %d",
		strconv.Quote(shorten(h.ID)), casesPhrase(h), holder(h.From), receiver(h), waited, int(s.Threshold))
	return s, true
}

// handoverSubject is what a signal about h is about: its family, or
// its first case.
func handoverSubject(h *Handover) signal.Subject {
	if h.Group != "" {
		return signal.Subject{Kind: signal.Family, ID: h.Group}
	}
	if len(h.Cases) == 0 {
		return signal.Subject{Kind: signal.Case}
	}
	return signal.Subject{Kind: signal.Case, ID: h.Cases[0]}
}

// casesPhrase names the cases of h in a message: `case "c1"`, or
// `family "f" (3 cases)`, or `cases "c1", "c2"`.
func casesPhrase(h *Handover) string {
	switch {
	case h.Group != "":
		return "family " + strconv.Quote(shorten(h.Group)) + " (" + plural(len(h.Cases), "case") + ")"
	case len(h.Cases) == 1:
		return "case " + strconv.Quote(shorten(h.Cases[0]))
	}
	q := make([]string, 0, min(len(h.Cases), 3))
	for _, c := range h.Cases[:min(len(h.Cases), 3)] {
		q = append(q, strconv.Quote(shorten(c)))
	}
	if len(h.Cases) > 3 {
		q = append(q, "…")
	}
	return "cases " + strings.Join(q, ", ")
}

// receiver names the receiver of h in a message, with their team when
// it is another.
func receiver(h *Handover) string {
	if h.Team == "" {
		return holder(h.To)
	}
	return holder(h.To) + " of team " + strconv.Quote(shorten(h.Team))
}
