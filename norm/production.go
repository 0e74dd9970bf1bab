package norm

// Default pace bands. They are illustrative: Ahead and Behind follow the
// 90–110% target band that the Workload Measurement Tool of HM Prison
// and Probation Service shades on its capacity chart, and 75% for "far
// behind" is this package's choice.
const (
	DefaultAhead       = 1.10        // ratio of completed to expected services from which the pace is ahead
	DefaultBehind      = 0.90        // ratio below which the pace is behind
	DefaultFarBehind   = 0.75        // ratio below which the pace is far behind
	DefaultMinExpected = Services(1) // services expected before any verdict
)

// MinBandWidth is the least difference between two pace band bounds
// that differ, as a ratio of completed to expected services: a
// hundred-thousandth of a percentage point. Messages print percentages
// with at most six decimals; a narrower band could hold no printed
// ratio, and would read "100.00%, below 100%".
const MinBandWidth = 1e-7

// BoundTolerance is how far below a pace band bound a ratio (of
// completed to expected services) may fall and still count as on the
// bound, absorbing floating-point rounding.
const BoundTolerance = 1e-9

// PaceBands set the bounds of the [PaceStatus] values as ratios of
// completed to expected services. Each zero field means its default.
// Bounds belong to the better status: a ratio of exactly Behind is on
// track and exactly Ahead is ahead, where a ratio within [BoundTolerance]
// below a bound counts as on it (so that 16.2 of 18 expected, 0.9 up to
// floating-point rounding, is on track). After defaults, 0 < FarBehind
// <= Behind <= Ahead must hold, and two bounds that differ must differ
// by at least [MinBandWidth], so that a message can print a ratio in
// the band between them.
type PaceBands struct {
	// Ahead is the ratio at or above which the pace is ahead. Zero
	// means [DefaultAhead], 1.10.
	Ahead float64 `json:"ahead,omitempty"`
	// Behind is the ratio below which the pace is behind. Zero means
	// [DefaultBehind], 0.90.
	Behind float64 `json:"behind,omitempty"`
	// FarBehind is the ratio below which the pace is far behind. Zero
	// means [DefaultFarBehind], 0.75.
	FarBehind float64 `json:"far_behind,omitempty"`
	// MinExpected is the expected number of services below which no
	// verdict is given (status [PaceNoExpectation]), so that one service
	// more or less in the first days of a year raises no alarm. Zero
	// means [DefaultMinExpected], 1 service.
	MinExpected Services `json:"min_expected,omitempty"`
}

// withDefaults returns b with each zero field replaced by its default.
func (b PaceBands) withDefaults() PaceBands {
	if b.Ahead == 0 {
		b.Ahead = DefaultAhead
	}
	if b.Behind == 0 {
		b.Behind = DefaultBehind
	}
	if b.FarBehind == 0 {
		b.FarBehind = DefaultFarBehind
	}
	if b.MinExpected == 0 {
		b.MinExpected = DefaultMinExpected
	}
	return b
}

func (b PaceBands) validate(f *faults, at where) {
	before := len(*f)
	f.amount(at, ".Ahead", "", b.Ahead)
	f.amount(at, ".Behind", "", b.Behind)
	f.amount(at, ".FarBehind", "", b.FarBehind)
	f.amount(at, ".MinExpected", "", float64(b.MinExpected))
	if len(*f) > before {
		return
	}
	d := b.withDefaults()
	narrow := func(lo, hi float64) bool { return lo < hi && hi-lo < MinBandWidth }
	if d.FarBehind > d.Behind || d.Behind > d.Ahead || narrow(d.FarBehind, d.Behind) || narrow(d.Behind, d.Ahead) {
		f.add(at, "", "", ErrRange)
	}
}

// A ProductionNorm sets how many services a full-time worker should
// complete in a year: for example 36, on average 3 a month, an
// illustrative Veilig Thuis norm. Each worker's share is prorated by
// casework capacity over the year (contract hours, side duties, absences
// given as reductions, expertise and onboarding), the same basis as
// [CaseloadLimit].
type ProductionNorm struct {
	// PerFTE is the annual target of one full-time worker. Zero means
	// nothing is expected.
	PerFTE ServicesPerYear `json:"per_fte"`
	// FullTime is the casework hours per week that earn the full PerFTE,
	// e.g. 36. Count standing non-client time either here (by setting
	// FullTime to the casework hours of a full-timer) or as reductions
	// in contracts, not both. Required.
	FullTime HoursPerWeek `json:"full_time"`
	// Bands grade the pace; the zero value means the defaults.
	Bands PaceBands `json:"bands,omitzero"`
}

// Validate reports every fault in n at once; nil means n is valid.
func (n ProductionNorm) Validate() error {
	var f faults
	n.validate(&f, top("ProductionNorm"))
	return f.err()
}

func (n ProductionNorm) validate(f *faults, at where) {
	f.amount(at, ".PerFTE", "", float64(n.PerFTE))
	f.amount(at, ".FullTime", "", float64(n.FullTime))
	if n.FullTime == 0 {
		f.add(at, ".FullTime", "", ErrMissing)
	}
	n.Bands.validate(f, func() string { return at() + ".Bands" })
}
