// Package weight turns a case's attributes into a weight in hours per week,
// with a separate severity and a breakdown that explains it, from a [Model]
// that each organisation configures for itself: "one case is not another".
//
// A Model is plain data: base hours by case type and phase, then factors
// (additive, per unit, multiplier, each with an optional cap) that apply
// on a case's flags, counts and numbers. [Compile] validates a model and
// resolves its names once; [Compiled.Weigh] weighs a case. [Fit]
// calibrates a model against recorded hours and reports how well it
// matches the work on the floor, each estimate's standard errors
// (classical, and robust to noise that grows with case size), and which
// parameters the data cannot identify. [CheckFunding] compares a funding rule with the model's
// weights and reports where funding falls short.
//
// The package proposes numbers; people decide. Every number in a model is
// the organisation's own: the package has no hidden defaults, and the
// numbers in its examples are illustrative.
//
// # Units
//
// Work is in hours per week ([HoursPerWeek]). Severity ([Severity]) is in
// points on the organisation's own scale. A factor's Value is hours per
// week for an additive factor, hours per week per unit for a per-unit
// factor, and a pure number for a multiplier. Numbers on a case are in
// whatever unit its factor states (e.g. km), and so is a factor's
// threshold. A fitted [Param]'s estimate and standard errors are in the
// unit of its value. Dates ([civil.Date]) are calendar dates and are data:
// the package never reads the clock.
//
// # Determinism
//
// The same input gives bit-identical output on one architecture. Output
// never depends on map iteration order: names are sorted, and sums are
// taken in a fixed order (breakdown order, model order, or sorted values).
// Fit uses no randomness.
//
// # Errors
//
// Bad input is an error, never a panic. Faults in a model, a case, an
// observation or a funding rule are reported all at once, joined with
// [errors.Join]; each is an [*InputError] naming the item and wrapping a
// sentinel such as [ErrNegative] or [ErrUnknownType], so [errors.Is] and
// [errors.As] work. Error strings start with "weight: ".
//
// # Concurrency
//
// Functions do not modify their inputs. A [Compiled] is immutable and safe
// for concurrent use; there is no package-level mutable state.
package weight
