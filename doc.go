// Package caseload is the overview of a library for weighted caseload
// balancing: sharing the casework of a team of caseworkers (youth
// protection, domestic-violence advice, social services, probation,
// absenteeism case management) fairly, by the work it takes rather
// than by the number of cases.
//
// The library is three packages that do not import each other, and the
// calendar they share:
//
//   - [github.com/caseload/caseload/weight] turns a case's attributes
//     (type, phase, children, risk factors, court work, interpreter,
//     travel) into a weight in hours per week, with a breakdown that
//     explains it, from a model each organisation configures and can
//     calibrate on recorded hours.
//   - [github.com/caseload/caseload/norm] turns a worker's contract,
//     side duties, leave and onboarding into a capacity in hours per
//     week, a caseload norm, and a production norm with its pace
//     through the year.
//   - [github.com/caseload/caseload/balance] takes cases with weights
//     and workers with capacities and skills, scores how evenly the work
//     is spread, ranks who should take a new case at intake, and
//     proposes who takes what for the whole team.
//   - [github.com/caseload/caseload/civil] is the calendar: a Date
//     without a time of day and a Period that includes both its ends,
//     open-ended where a bound is unknown. All three packages use it.
//
// A program glues them: it weighs each case with weight, computes each
// worker's capacity, caseload norm and absences with norm, copies the
// numbers into a [github.com/caseload/caseload/balance.Problem], and
// asks balance. The runnable programs under examples/ show how.
//
// # Vocabulary
//
// Dates and periods are entered once: the civil.Date of the meeting and
// the civil.Period of a worker's leave, computed by norm, go into
// balance as they are. Amounts keep a type per package: weight's
// HoursPerWeek is the work a case takes, norm's the time a worker has,
// balance's both, held against each other; norm and balance each count
// caseloads in Shares. Keeping the types apart keeps the three packages
// independent and makes each crossing visible as one plain conversion
// per number, such as balance.HoursPerWeek(capacity.Available).
//
// The library proposes; people decide. Every weight, ranking, score and
// proposal comes with its reasons, so that a team can discuss it and
// overrule it.
//
// # Units
//
// Weights, loads and capacities are in hours per week unless a type
// says otherwise; utilization is load over capacity as a fraction (1 is
// full, not over). Dates are calendar dates passed in by the caller:
// no package reads the clock.
//
// # Determinism
//
// Every function gives the same output for the same input, whatever the
// order of input slices beyond documented tie-breaks; any randomness
// takes a seed. No package keeps global mutable state or does I/O.
//
// # Errors
//
// Bad input (NaN, infinite or negative numbers, empty or duplicate IDs,
// unknown references) gives an error that names the offending item,
// usable with errors.Is and errors.As; nothing panics on data, and no
// case is ever silently dropped.
package caseload
