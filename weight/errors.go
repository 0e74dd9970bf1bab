package weight

import (
	"errors"
	"strings"
)

// Sentinel errors. Functions in this package wrap them, most often in an
// [InputError] that names the faulty item, so test them with [errors.Is].
var (
	// ErrMissing reports a required name or list that is empty.
	ErrMissing = errors.New("weight: missing")
	// ErrDuplicate reports a name that occurs twice where names must be unique.
	ErrDuplicate = errors.New("weight: duplicate name")
	// ErrNegative reports a negative value where only zero or more is allowed.
	ErrNegative = errors.New("weight: negative value")
	// ErrNotFinite reports a NaN or infinite value.
	ErrNotFinite = errors.New("weight: not a finite number")
	// ErrInvalid reports a value outside its allowed set, such as an unknown
	// factor kind or a threshold on a flag.
	ErrInvalid = errors.New("weight: invalid value")
	// ErrUnknownType reports a case type that the model does not define.
	ErrUnknownType = errors.New("weight: unknown case type")
	// ErrUnknownPhase reports a phase that the case's type does not define.
	ErrUnknownPhase = errors.New("weight: unknown phase")
	// ErrUnknownAttribute reports a flag, count or number of a case that no
	// factor of the model reads.
	ErrUnknownAttribute = errors.New("weight: unknown attribute")
	// ErrUnknownParameter reports a parameter name, given to [Fit], that the
	// model does not have.
	ErrUnknownParameter = errors.New("weight: unknown parameter")
	// ErrOverflow reports a weight, recorded hours, funded hours or a sum
	// of them too large to represent as a finite float64.
	ErrOverflow = errors.New("weight: overflows a float64")
	// ErrAmbiguous reports a parameter name, given to [Fit] in
	// [FitOptions].Fixed, that matches more than one parameter.
	ErrAmbiguous = errors.New("weight: ambiguous parameter name")
	// ErrNothingToFit reports that [Fit] can fit none of the model's
	// parameters: there are no observations, or they identify no parameter
	// that is not Fixed. It is the only way too little data makes Fit fail.
	ErrNothingToFit = errors.New("weight: no parameter can be fitted")
)

// An InputError reports one invalid item of a [Model], a case's
// [Attributes], an [Observation] or a [Funding] rule.
type InputError struct {
	// Case is the ID of the case concerned, if known.
	Case string
	// Field locates the item, e.g. "Factors[2].Cap" or
	// "Observations[7].Attributes.Counts".
	Field string
	// Name is the item's name (a factor, type, attribute or case ID), if
	// it has one.
	Name string
	// Err is one of the package's sentinel errors, such as [ErrNegative].
	Err error
}

// Error returns e.g. `weight: Factors[2].Cap "court": negative value` or
// `weight: case "c-17": Counts "kids": unknown attribute`.
func (e *InputError) Error() string {
	var b strings.Builder
	b.WriteString("weight: ")
	if e.Case != "" {
		b.WriteString("case ")
		b.WriteString(quote(e.Case))
		b.WriteString(": ")
	}
	b.WriteString(e.Field)
	if e.Name != "" {
		b.WriteString(" ")
		b.WriteString(quote(e.Name))
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(strings.TrimPrefix(e.Err.Error(), "weight: "))
	}
	return b.String()
}

// Unwrap returns e.Err.
func (e *InputError) Unwrap() error { return e.Err }

// quote quotes s for an error message without escaping non-ASCII letters,
// since case systems use Dutch names.
func quote(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"`
}

// faults collects input errors and joins them.
type faults []error

func (f *faults) add(field, name string, err error) {
	*f = append(*f, &InputError{Field: field, Name: name, Err: err})
}

func (f faults) err() error {
	if len(f) == 0 {
		return nil
	}
	return errors.Join(f...)
}
