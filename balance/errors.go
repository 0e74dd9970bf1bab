package balance

import (
	"errors"
	"fmt"
)

// Sentinel errors wrapped by [InputError]. Test for them with
// [errors.Is].
var (
	ErrEmptyID            = errors.New("empty ID")
	ErrDuplicateID        = errors.New("duplicate ID")
	ErrNotFinite          = errors.New("not a finite number")
	ErrNegative           = errors.New("negative value")
	ErrTooLarge           = errors.New("value too large")
	ErrTooSmall           = errors.New("capacity below one micro-hour but not zero")
	ErrNoDate             = errors.New("date not set")
	ErrBadPeriod          = errors.New("period ends before it starts")
	ErrEmptySkill         = errors.New("empty skill name")
	ErrPinnedWithoutOwner = errors.New("pinned case has no owner")
	ErrPinnedGroupSplit   = errors.New("pinned cases of one group have different owners")
	ErrUnknownWorker      = errors.New("unknown worker")
	ErrBadOption          = errors.New("bad option")
)

// maxHours is the largest weight or capacity accepted, in hours per
// week. Loads are summed exactly in micro-hours in an int64, so this
// bound keeps every sum of up to nine million cases from overflowing.
const maxHours = 1e6

// An InputError reports one invalid element of a [Problem], a [Case] or
// [Options]. Validation reports all of them at once, joined with
// [errors.Join]; use [errors.As] to get at each.
type InputError struct {
	// Field locates the element, as "Cases[3].Weight".
	Field string
	// ID is the ID of the case or worker the field belongs to, if known.
	ID string
	// Err is a sentinel such as [ErrNegative].
	Err error
}

// Error returns "balance: Field (ID): Err".
func (e *InputError) Error() string {
	if e.ID == "" {
		return fmt.Sprintf("balance: %s: %v", e.Field, e.Err)
	}
	return fmt.Sprintf("balance: %s (%q): %v", e.Field, e.ID, e.Err)
}

// Unwrap returns e.Err.
func (e *InputError) Unwrap() error { return e.Err }
