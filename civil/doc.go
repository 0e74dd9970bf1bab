// Package civil is the calendar that packages balance, weight and norm
// share: a [Date] without a time of day or a time zone, and a [Period]
// of dates that includes both its ends.
//
// It is a leaf: it imports nothing of this module, so the three packages
// can speak one calendar without importing each other. A program that
// computes a worker's leave with norm passes the same [Period] values to
// balance, and a date parsed once serves all three.
//
// # Range
//
// A Date runs from 0001-01-01 to 9999-12-31, the dates that the text
// form "2006-01-02" can hold, so every Date survives a JSON round trip.
// Constructors and arithmetic clamp to that range instead of wrapping.
//
// # Open-ended periods
//
// One rule holds everywhere: a Period with a zero From has no start, a
// Period with a zero To has no end, and the zero Period is "always". A
// Period whose To is before its From is invalid ([ErrBadPeriod]).
//
// # Errors
//
// Parsing and decoding errors wrap [ErrBadDate]; packages that decode
// dates inside larger documents add the field and the item.
package civil
