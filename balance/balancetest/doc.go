// Package balancetest provides utilities for testing code that uses
// package balance: generators of valid problems for rapid and seeded
// generators for benchmarks, checkers that hold a proposal or a ranking
// against every invariant balance promises, a plain statement of the
// eligibility rule, and small named scenarios with proven best answers.
//
// A project that wraps balance in its own adapter tests it the way
// net/http/httptest and testing/fstest let a project test a handler or
// a file system:
//
//	func TestAdapterKeepsInvariants(t *testing.T) {
//		rapid.Check(t, func(t *rapid.T) {
//			p := balancetest.ProblemGen(balancetest.Shape{}).Draw(t, "problem")
//			opts := balancetest.RebalanceOptionsGen().Draw(t, "options")
//			pr, err := myapp.Propose(t.Context(), p, opts)
//			if err != nil {
//				t.Fatal(err)
//			}
//			balancetest.Verify(t, p, opts, pr)
//		})
//	}
//
// # Generators
//
// [ProblemGen] draws whole problems from a [Shape] that aims at the
// hard corners: more demand than capacity, skills few workers hold,
// families, pins, declines, absent workers, leave that starts soon or
// has no end, caseload norms, workers without capacity, one giant case
// and thousands of tiny ones. [WorkerGen], [CaseGen], [CaseFor],
// [OptionsGen] and [RebalanceOptionsGen] draw the parts, [HistoryGen]
// and [ThresholdsGen] what [balance.Team.Signals] reads. Every problem
// they draw is valid: [balance.Prepare] accepts it.
//
// [Generate] makes seeded, realistic problems without rapid, for
// benchmarks, examples and simulations; [TeamSize], [RegionSize],
// [NationalSize] and [SparseSize] name the usual sizes.
//
// # Checkers
//
// [CheckProposal], [CheckRanking] and [CheckSignals] return an error
// that joins one [*Violation] per broken invariant, so that they serve
// outside tests too (a service may check each proposal before showing
// it). [Verify] and [VerifyRanking] report the same through a [TB],
// which *testing.T and *rapid.T satisfy. [Ineligible] states the
// eligibility rule plainly, for other code to be held against.
//
// # Scenarios
//
// [Scenarios] returns a dozen small named problems, each with its
// options, the best maximum utilization any valid proposal can reach
// (proven by exhaustive search in this package's tests) and the cases
// no proposal can place: fixtures for other projects' tests.
//
// # Units
//
// Weights, loads and capacities are in hours per week
// ([balance.HoursPerWeek]); utilization is a fraction of capacity (1 is
// exactly full); caseload norms count shares ([balance.Shares]).
//
// # Determinism
//
// [Generate] gives the same problem for the same seed and size on
// every platform. Rapid generators are as deterministic as rapid's
// seed. Checkers read their arguments only, sum in a fixed order and
// report violations in a fixed order.
//
// # Concurrency
//
// The package keeps no state; every function is safe for concurrent
// use and none modifies its arguments.
package balancetest
