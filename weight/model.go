package weight

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/caseload/caseload/civil"
)

// A Model turns a case's [Attributes] into a [Weight]. It is plain data
// that an organisation keeps in a file and versions. Each organisation
// sets its own numbers: the package has no built-in defaults.
//
// A case weighs, in this order: the base hours of its type (or of its
// type's phase), plus each additive and per-unit factor that applies, then
// each multiplier that applies on the running subtotal, then the cap
// MaxHours. See [Compiled.Weigh].
//
// In JSON, a valid Model round-trips exactly: [json.Marshal]
// and then [ParseModel] give a Model that [reflect.DeepEqual] reports
// equal, and marshalling that again gives the same bytes. A nil list and
// an empty one mean the same to every function of this package (no
// phases, no factors), but a round trip keeps them apart: a nil list is
// left out of the JSON and decodes as nil, an empty list is written as []
// and decodes as empty. ParseModel therefore returns the lists as the file
// wrote them. Strings must be valid UTF-8 ([Model.Validate] checks), since
// encoding/json would replace invalid bytes.
type Model struct {
	// Name names the model, e.g. "Jeugdbescherming Regio Noord".
	Name string `json:"name,omitempty"`
	// Version is the organisation's version label, e.g. "2025.2".
	Version string `json:"version,omitempty"`
	// Effective is the date from which the model applies. The zero Date
	// means no date is recorded.
	Effective civil.Date `json:"effective,omitzero"`
	// Types lists the case types, each with its base hours. A model needs
	// at least one.
	Types []CaseType `json:"types"`
	// Factors lists what makes a case heavier or lighter, in the order in
	// which they apply within their stage. Nil or empty means the base
	// hours alone.
	Factors []Factor `json:"factors,omitzero"`
	// MaxHours caps a case's total weight, in hours per week. Zero means
	// no cap.
	MaxHours HoursPerWeek `json:"max_hours,omitempty"`
}

// A CaseType is a kind of case with its base weight, e.g. a supervision
// order or a Veilig Thuis investigation.
type CaseType struct {
	// Name names the type; names are unique within a model.
	Name string `json:"name"`
	// Hours is the base weight, in hours per week, of a case of this type
	// whose phase is empty (or unknown and ignored under
	// [Options].IgnoreUnknown). Zero means such a case takes no base time.
	Hours HoursPerWeek `json:"hours"`
	// Severity is the base severity of a case of this type (or of any of
	// its phases), in points on the organisation's scale. Zero means no
	// base load.
	Severity Severity `json:"severity,omitempty"`
	// Phases gives base hours by phase, e.g. intake and investigation weigh
	// more than monitoring. Nil or empty means the type has no phases.
	Phases []Phase `json:"phases,omitzero"`
	// Note is free text, e.g. where the numbers come from.
	Note string `json:"note,omitempty"`
}

// A Phase is a stage of a case type with its own base weight.
type Phase struct {
	// Name names the phase; names are unique within a type.
	Name string `json:"name"`
	// Hours replaces the type's base hours for a case in this phase, in
	// hours per week. Zero means no base time in this phase.
	Hours HoursPerWeek `json:"hours"`
}

// A Factor makes cases heavier (or lighter) on one attribute of the case:
// a flag, a count or a number. The factor's units are the attribute's
// value above Above: 1 for a set flag, the count or number minus Above
// otherwise. A factor applies when its units are above zero.
type Factor struct {
	// Name names the factor in a [Weight]'s breakdown; names are unique
	// within a model.
	Name string `json:"name"`
	// Kind says how the factor adds to a case's weight.
	Kind Kind `json:"kind"`
	// On says which of the case's attribute maps the factor reads. It is
	// required: the zero Input is not valid.
	On Input `json:"on"`
	// Attribute is the name of the flag, count or number read, e.g.
	// "children".
	Attribute string `json:"attribute"`
	// Value is, by Kind: for Additive, the hours per week added once; for
	// PerUnit, the hours per week added per unit; for Multiplier, the
	// factor (no unit) by which the running subtotal is multiplied, so 1.3
	// adds 30% and 1 adds nothing. Zero adds nothing (Additive, PerUnit)
	// or removes the subtotal (Multiplier).
	Value float64 `json:"value"`
	// Above is the threshold, in the attribute's unit: only the part of a
	// count or number above it counts, e.g. 30 for "travel over 30 km" or
	// 1 for "each additional child". It must be zero for a flag. Zero
	// means every unit counts.
	Above float64 `json:"above,omitempty"`
	// Cap limits the hours per week the factor adds to a case. Zero means
	// no cap.
	Cap HoursPerWeek `json:"cap,omitempty"`
	// Severity is added once to the case's severity when the factor
	// applies, in points on the organisation's scale. Zero means the
	// factor adds no severity.
	Severity Severity `json:"severity,omitempty"`
	// Note is free text, e.g. where the numbers come from.
	Note string `json:"note,omitempty"`
}

// Kind says how a [Factor] adds to a weight, or what a [Contribution] in a
// breakdown is. In JSON it is a string such as "per-unit".
type Kind int8

const (
	// Base is a breakdown line for the base hours of the case's type or
	// phase. It is not a valid factor kind.
	Base Kind = iota
	// Additive adds Value hours per week once when the factor applies.
	Additive
	// PerUnit adds Value hours per week per unit above the threshold.
	PerUnit
	// Multiplier multiplies the running subtotal by Value, a pure number.
	Multiplier
	// Limit is a breakdown line for the model's MaxHours cap. It is not a
	// valid factor kind.
	Limit
)

var kindNames = [...]string{"base", "additive", "per-unit", "multiplier", "limit"}

// String returns the kind's name as used in JSON, e.g. "per-unit".
func (k Kind) String() string {
	if k < 0 || int(k) >= len(kindNames) {
		return fmt.Sprintf("Kind(%d)", int(k))
	}
	return kindNames[k]
}

// MarshalText implements [encoding.TextMarshaler]. It fails for a Kind
// other than the constants above.
func (k Kind) MarshalText() ([]byte, error) {
	if k < 0 || int(k) >= len(kindNames) {
		return nil, fmt.Errorf("weight: invalid kind %d", int(k))
	}
	return []byte(kindNames[k]), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler]. It fails for a
// name other than those [Kind.String] returns.
func (k *Kind) UnmarshalText(b []byte) error {
	for i, n := range kindNames {
		if string(b) == n {
			*k = Kind(i)
			return nil
		}
	}
	return fmt.Errorf("weight: invalid kind %s", quote(string(b)))
}

// factor reports whether k is a valid kind for a [Factor].
func (k Kind) factor() bool { return k == Additive || k == PerUnit || k == Multiplier }

// Input names which attribute map of a case a [Factor] reads. In JSON it
// is "flag", "count" or "number". The zero Input is not valid, so that a
// factor that does not say what it reads (in JSON, one without "on") is
// an error of [Model.Validate] rather than silently a flag.
type Input int

const (
	// Flag reads [Attributes].Flags: one unit when the flag is set.
	Flag Input = iota + 1
	// Count reads [Attributes].Counts, e.g. the number of children.
	Count
	// Number reads [Attributes].Numbers, e.g. travel distance in km.
	Number
)

var inputNames = [...]string{Flag: "flag", Count: "count", Number: "number"}

// valid reports whether in is Flag, Count or Number.
func (in Input) valid() bool { return in >= Flag && in <= Number }

// String returns the input's name as used in JSON, e.g. "count".
func (in Input) String() string {
	if !in.valid() {
		return fmt.Sprintf("Input(%d)", int(in))
	}
	return inputNames[in]
}

// MarshalText implements [encoding.TextMarshaler]. It fails for an Input
// other than Flag, Count and Number.
func (in Input) MarshalText() ([]byte, error) {
	if !in.valid() {
		return nil, fmt.Errorf("weight: invalid input %d", int(in))
	}
	return []byte(inputNames[in]), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler]. It fails for a
// name other than "flag", "count" and "number".
func (in *Input) UnmarshalText(b []byte) error {
	for i := Flag; i <= Number; i++ {
		if string(b) == inputNames[i] {
			*in = i
			return nil
		}
	}
	return fmt.Errorf("weight: invalid input %s", quote(string(b)))
}

// ParseModel decodes a Model from JSON and validates it. It rejects
// unknown fields and trailing data, so a typo in a model file is an error,
// not a silently ignored setting. The result of json.Marshal on a valid
// Model parses back to an equal Model, nil and empty lists kept apart (see
// [Model]). It returns an error wrapping the decoder's for malformed JSON,
// and the errors of [Model.Validate]. Its time is O(len(data)).
func ParseModel(data []byte) (Model, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var m Model
	if err := dec.Decode(&m); err != nil {
		return Model{}, fmt.Errorf("weight: decoding model: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Model{}, fmt.Errorf("weight: decoding model: data after the model")
	}
	if err := m.Validate(); err != nil {
		return Model{}, err
	}
	return m, nil
}
