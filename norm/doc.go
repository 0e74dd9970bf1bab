// Package norm answers two questions about caseworkers: how much can this
// worker take, and is this worker, and this team, on track?
//
// [Capacity] turns a [Contract] (contract hours, side duties, reductions
// for sickness, leave, union time or training, an onboarding ramp and
// expertise adjustments) into the hours per week left for casework on a
// date, with a breakdown of what was subtracted and why.
// [Contract.Absences] reports the periods in which reductions take all
// of those hours away, as [civil.Period] values that package balance
// takes as they are. [CaseloadLimit] turns a [CaseloadNorm] (maximum
// open cases per full-time worker, per case type) into the number of
// case shares a worker may carry, which admits the same number of cases
// whichever type counts one share, and [CheckBand] reports where a team
// sits in its caseload band and which members are outside it. [Pace]
// and [TeamPace] compare completed services with a [ProductionNorm],
// prorated by casework capacity over the year, and give each reading a
// [PaceStatus] with a [signal.Signal] that can serve as an early warning:
// the type package balance raises too, so a program merges both into
// one list.
// [PointsScale] converts hours to the points of schemes such as the
// Workload Measurement Tool of HM Prison and Probation Service.
//
// Norms are averages: a team can be on track while its members differ.
// The package measures; people decide. Every norm and threshold is a
// parameter. The numbers in the documentation and examples (a 36-hour
// full-time week, 16, 21 or 28 cases per FTE, 36 services a year, 2,176
// points per 37-hour week) are illustrative, taken from the sources they
// cite, never built-in constants.
//
// The name collides with golang.org/x/text/unicode/norm; a program that
// needs both may import this package under another name, for example
// caseloadnorm.
//
// # Units
//
// Amounts carry their unit in their type: [HoursPerWeek] for capacity,
// [FTE] for full-time equivalents, [PointsPerWeek] for points schemes,
// [Shares] for caseloads, [ServicesPerYear] and [Services] for production.
// Dates are calendar dates ([civil.Date], "2006-01-02" in JSON) from year 1
// to 9999, and every [civil.Period] includes both its first and its last day.
// Capacity never exceeds [MaxHoursPerWeek], 168 hours. Dates are always
// arguments: the package never reads the clock.
//
// # Determinism
//
// Every function is pure: the same arguments give bit-identical results
// on one architecture. Sums over team members run in worker-name order and
// sums over case types in the order of [CaseloadNorm.Types], never in map
// or goroutine order. There is no global state and no init function.
//
// # Errors
//
// Invalid input is reported as an error, never a panic. Each fault is an
// [*InputError] that names the field and the item and wraps a sentinel
// such as [ErrNegative] or [ErrBadPeriod], so [errors.Is] and [errors.As]
// work; all faults of one call are returned together, joined with
// [errors.Join]. A worker who is behind, or a team above its band, is not
// an error: it is the answer, reported in a status and a [signal.Signal]. No
// result holds NaN or an infinity.
//
// # Concurrency
//
// The package has no mutable state and never modifies its arguments; all
// functions and methods are safe for concurrent use.
package norm
