package balance

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/caseload/caseload/civil"
)

// Sentinel errors wrapped by [InputError]. Test for them with
// [errors.Is].
var (
	ErrEmptyID            = errors.New("balance: empty ID")
	ErrDuplicateID        = errors.New("balance: duplicate ID")
	ErrNotFinite          = errors.New("balance: not a finite number")
	ErrNegative           = errors.New("balance: negative value")
	ErrTooLarge           = errors.New("balance: value too large")
	ErrTooSmall           = errors.New("balance: capacity below one micro-hour but not zero")
	ErrNoDate             = errors.New("balance: date not set")
	ErrEmptySkill         = errors.New("balance: empty skill name")
	ErrPinnedWithoutOwner = errors.New("balance: pinned case has no owner")
	ErrPinnedGroupSplit   = errors.New("balance: pinned cases of one group have different owners")
	ErrBadOption          = errors.New("balance: bad option")
	ErrNotFraction        = errors.New("balance: not a fraction from 0 to 1")
	ErrUnknownWorker      = errors.New("balance: unknown worker")
	ErrBadHistory         = errors.New("balance: snapshots out of order")

	// ErrBadPeriod is [civil.ErrBadPeriod]: an absence that ends before
	// it starts.
	ErrBadPeriod = civil.ErrBadPeriod
	// ErrBadDate is [civil.ErrBadDate]: a date in JSON that is not
	// "2006-01-02" or does not exist.
	ErrBadDate = civil.ErrBadDate
)

// An InputError reports one invalid element of a [Problem], a [Case],
// [Options], a handover event or an audit's input; for a handover, ID
// names the handover. Validation reports all of them at once, joined
// with [errors.Join]; use [errors.As] to get at each.
type InputError struct {
	// Field locates the element, as "Cases[3].Weight".
	Field string
	// ID is the ID of the case or worker the field belongs to, if known.
	ID string
	// Err is a sentinel such as [ErrNegative].
	Err error
}

// Error returns "balance: Field (ID): Err", with the package prefix of
// Err left out and an ID longer than 64 bytes cut short, so that a
// hostile ID cannot make the message huge.
func (e *InputError) Error() string {
	msg := "invalid"
	if e.Err != nil {
		msg = e.Err.Error()
		msg = strings.TrimPrefix(msg, "balance: ")
		msg = strings.TrimPrefix(msg, "civil: ")
	}
	var b strings.Builder
	b.WriteString("balance: ")
	b.WriteString(e.Field)
	if e.ID != "" {
		b.WriteString(" (")
		b.WriteString(strconv.Quote(shorten(e.ID)))
		b.WriteString(")")
	}
	b.WriteString(": ")
	b.WriteString(msg)
	return b.String()
}

// shorten cuts s to at most 64 bytes, on a rune boundary, and marks the
// cut with an ellipsis.
func shorten(s string) string {
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

// Unwrap returns e.Err.
func (e *InputError) Unwrap() error { return e.Err }
