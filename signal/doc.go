// Package signal is the one shape of an early warning that packages
// balance and norm share: a [Signal] says what was measured about whom
// (a worker, a case, a skill, a family or the team), against which
// threshold, how severe it is, since when it holds and, for a trend,
// when it is projected to cross, with the numbers behind it and a
// sentence a team leader can read aloud.
//
// Signals inform; they never decide. Programs merge the signals of
// balance (load, queue, skills, declines) and norm (production pace,
// caseload bands) into one list and sort it with [Sort]: most severe
// first, then by code, then by subject.
//
// Like civil, it is a leaf: it imports nothing of this module but the
// calendar, so balance and norm can share it without importing each
// other. A program that also imports os/signal names one of them, for
// example earlysignal "github.com/caseload/caseload/signal".
package signal
