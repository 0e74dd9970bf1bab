package balance

import (
	"errors"
	"hash/fnv"
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
// Err left out and an ID longer than 64 bytes cut short and marked with
// a hash of the whole (the ID field keeps it all), so that a hostile ID
// cannot make the message huge.
func (e *InputError) Error() string {
	msg := "invalid"
	if e.Err != nil {
		msg = e.Err.Error()
		msg = strings.TrimPrefix(msg, "balance: ")
		msg = strings.TrimPrefix(msg, "civil: ")
		if len(msg) > maxErrMessage {
			// A wrapped error may quote input (a date's text) in full.
			msg = shortenTo(msg, maxErrMessage)
		}
	}
	var b strings.Builder
	b.WriteString("balance: ")
	b.WriteString(e.Field)
	if e.ID != "" {
		b.WriteString(" (")
		b.WriteString(quote(e.ID))
		b.WriteString(")")
	}
	b.WriteString(": ")
	b.WriteString(msg)
	return b.String()
}

// shortID is the most bytes of an ID or a person's words that a
// message quotes in full.
const shortID = 64

// shorten returns s if it is at most shortID bytes long; otherwise its
// first shortID bytes, cut on a rune boundary, an ellipsis and a hash of
// the whole, so that two long IDs that share their start still read
// apart: "aaaa…#1f2e3d4c".
func shorten(s string) string { return shortenTo(s, shortID) }

// maxErrMessage is the most bytes of a wrapped error's message that an
// InputError repeats in full.
const maxErrMessage = 256

// shortenTo is shorten with n bytes in place of shortID.
func shortenTo(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := n
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	h := fnv.New32a()
	h.Write([]byte(s))
	return s[:i] + "…#" + strconv.FormatUint(uint64(h.Sum32())|1<<32, 16)[1:]
}

// quote returns s shortened and quoted, for a message.
func quote(s string) string { return strconv.Quote(shorten(s)) }

// maxNamedFaults is how many faults a joined error's message names; it
// counts the rest.
const maxNamedFaults = 200

// faults is the error of many faults: it unwraps to every one, and its
// message names the first maxNamedFaults, one a line, and counts the
// rest, so that a problem with a million faults does not make a
// message of a million lines.
type faults []error

// Error names the first maxNamedFaults faults and counts the rest.
func (f faults) Error() string {
	var b strings.Builder
	for i, e := range f {
		if i == maxNamedFaults {
			b.WriteString("\nbalance: and " + strconv.Itoa(len(f)-i) + " more faults")
			break
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap returns every fault.
func (f faults) Unwrap() []error { return f }

// Unwrap returns e.Err.
func (e *InputError) Unwrap() error { return e.Err }
