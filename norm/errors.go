package norm

import (
	"errors"
	"math"
	"strconv"
	"strings"
)

// Sentinel errors wrapped by [InputError]. Test for them with [errors.Is].
var (
	// ErrNegative reports a negative amount where only zero or more
	// makes sense.
	ErrNegative = errors.New("norm: negative value")
	// ErrNotFinite reports a NaN or an infinity.
	ErrNotFinite = errors.New("norm: not a finite number")
	// ErrRange reports a value outside its documented range, such as a
	// percentage above 100 or a share above 1.
	ErrRange = errors.New("norm: value out of range")
	// ErrBadPeriod reports a period that ends before it starts, a
	// required date that is missing, or a calendar without working days.
	ErrBadPeriod = errors.New("norm: bad period")
	// ErrMissing reports a required name, reason or value that is empty.
	ErrMissing = errors.New("norm: missing value")
	// ErrAmbiguous reports a reduction given both as a percentage and as
	// hours.
	ErrAmbiguous = errors.New("norm: both percentage and hours given")
	// ErrDuplicate reports a name used twice where names must be unique.
	ErrDuplicate = errors.New("norm: duplicate name")
	// ErrUnknownType reports a case type that the caseload norm does not
	// list.
	ErrUnknownType = errors.New("norm: unknown case type")
)

// An InputError reports one invalid element of an argument.
type InputError struct {
	Field string // path of the field, e.g. "Contract.Reductions[2].Percent"
	Name  string // name of the item (worker, duty, reason, case type), if known
	Err   error  // a sentinel such as ErrNegative
}

// Error returns e.g. `norm: Reductions[2].Percent ("sickness"): value out
// of range`.
func (e *InputError) Error() string {
	msg := "invalid"
	if e.Err != nil {
		msg = strings.TrimPrefix(e.Err.Error(), "norm: ")
	}
	var b strings.Builder
	b.WriteString("norm: ")
	b.WriteString(e.Field)
	if e.Name != "" {
		b.WriteString(" (")
		b.WriteString(strconv.Quote(e.Name))
		b.WriteString(")")
	}
	b.WriteString(": ")
	b.WriteString(msg)
	return b.String()
}

// Unwrap returns the sentinel error.
func (e *InputError) Unwrap() error { return e.Err }

// faults collects the input errors of one call.
type faults []error

// A where names a field lazily, so that validating valid input costs no
// allocation: the name is built only when a fault is reported.
type where func() string

// top returns the where of a top-level name.
func top(name string) where { return func() string { return name } }

// add reports err for the field w() + leaf of the item name.
func (f *faults) add(w where, leaf, name string, err error) {
	*f = append(*f, &InputError{Field: w() + leaf, Name: name, Err: err})
}

// err joins the faults, or returns nil when there are none.
func (f faults) err() error { return errors.Join(f...) }

// amount adds a fault unless x is finite and not negative.
func (f *faults) amount(w where, leaf, name string, x float64) {
	switch {
	case math.IsNaN(x) || math.IsInf(x, 0):
		f.add(w, leaf, name, ErrNotFinite)
	case x < 0:
		f.add(w, leaf, name, ErrNegative)
	}
}

// inRange adds a fault unless x is finite and lo <= x <= hi.
func (f *faults) inRange(w where, leaf, name string, x, lo, hi float64) {
	switch {
	case math.IsNaN(x) || math.IsInf(x, 0):
		f.add(w, leaf, name, ErrNotFinite)
	case x < lo || x > hi:
		f.add(w, leaf, name, ErrRange)
	}
}

// item returns the name of element i of list in w, e.g.
// "Contract.Reductions[2]".
func item(w where, list string, i int) string {
	return w() + "." + list + "[" + strconv.Itoa(i) + "]"
}

// finite returns x, with infinities replaced by the largest finite value
// of the same sign and NaN by zero, so that no output holds them.
func finite(x float64) float64 {
	switch {
	case math.IsNaN(x):
		return 0
	case math.IsInf(x, 1):
		return math.MaxFloat64
	case math.IsInf(x, -1):
		return -math.MaxFloat64
	}
	return x
}
