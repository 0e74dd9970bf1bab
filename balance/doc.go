// Package balance shares a team's casework fairly: it scores how evenly
// weighted cases are spread over workers, ranks the workers who could
// take a new case at intake, with reasons, and proposes who takes what
// for the whole team.
//
// A [Problem] is plain data a case system fills in: the workers with
// their capacity for casework, skills and caseload norms, and the cases
// with their weights, required skills, families, owners, pins and
// declines. [Prepare] validates it once and computes each worker's load;
// the resulting [Team] answers many questions, such as [Team.Rank] for
// every case in the intake queue. [Rank] and [Score] are one-shot
// shortcuts.
//
// [Propose] places the intake queue and, within a move budget, moves
// held cases so that the fullest worker is as little full as possible
// and the rest is even. Its [Proposal] lists every case once, the moves
// in steps that can be taken one at a time, the cases no one may take
// with their reasons, the scores before and after, and a proven lower
// bound on what any assignment could reach, with the gap to it.
//
// Workers are not interchangeable. A case may take one worker fewer
// hours than its weight and another more ([Worker.Efficiency], or the
// caller's own effort per pair in [Case.Fit]); a co-worker may carry a
// share of it ([Case.CoWorker]). Loads, scores, rankings and signals
// count that effort. Skills may be graded ([Proficiency]); a returning
// case names its previous worker, whom ranking prefers when eligible.
// Giving a case to a worker may cost fit points ([CostRule], [PairFit]);
// [PolicyFit] proposes the cheapest plan with capacity (or a lower
// ceiling, [RebalanceOptions.FitCeiling]) a hard limit, with a proven
// lower bound on its cost ([FitReport]); the default [PolicyLoad] evens
// out utilization by effort, with a proven lower bound on it (by weight
// on more than 1,000 movable cases or families), breaks ties by cost,
// and reports the fit cost.
//
// [Team.Signals] raises early warnings from the team as it stands and
// from its weekly [Snapshot] history, which the caller stores: load
// bands, sustained and rising overload, imbalance, heavy cases piling
// up, skill bottlenecks, a shortfall of people, cases waiting too long,
// pressure that the numbers miss, structural declines and intake
// pauses. They are values of the shared type [signal.Signal], the same
// as package norm's, so a program merges both into one list.
//
// A case changes hands through a [Handover]: an offer from the worker
// who holds it (or from the intake queue) to another, which the
// receiver accepts or rejects with a reason, the sender revokes, or
// the case system lets expire. Until acceptance the case stays with the
// sender, in every count, load, score and bound; [Incoming] shows what
// waits for each receiver, apart. A [HandoverLog] records the events as
// plain data and replays them onto a [Problem];
// [HandoverLog.OfferProposal] turns a proposal's moves into offers in
// one call, and [HandoverSignals] warns of offers left unanswered.
// [Audit] reconciles the case system's open cases with the teams and
// the pending handovers, and reports every ghost, duplicate, orphan and
// stale case once, each finding also a [signal.Signal].
//
// Package [github.com/caseload/caseload/balance/balancetest] helps other
// projects test code that uses this package, in the manner of
// net/http/httptest; package [github.com/caseload/caseload/balance/sim]
// simulates distribution policies over time.
//
// The package proposes; people decide. Every ranking, score and move
// says why, in [Reason] values that carry a code, the numbers behind it
// and an English sentence.
//
// # Units
//
// Weights, loads and capacities are in hours per week
// ([HoursPerWeek]). Utilization is load divided by capacity, as a
// fraction: 1 is exactly full, which is full and not over. Caseload
// norms count cases in shares ([Case.Share]). Dates are calendar dates
// ([civil.Date]); the package never reads the clock.
//
// # Eligibility
//
// One rule decides whether a worker may take a case, at intake and in
// a rebalance alike. The worker must hold every skill the case
// requires, must not have declined it, must stay within their caseload
// norm with it, must not be away, must not be on planned leave nor have
// leave starting within the look-ahead ([Options.LeaveLookahead]), must
// not have their intake paused ([Worker.Pause]), must not have had their
// allowance of new cases under an intake cap ([Options.IntakeCap]), and
// must have capacity. A graded skill needs at least the case's level.
// A worker who is out carries every reason that applies. A worker who
// is away or on leave today keeps their cases in a rebalance.
//
// # Determinism
//
// The same input gives bit-identical output on one architecture,
// whatever the order of the input slices: loads are summed exactly in
// micro-hours, results are sorted, and ties are broken by ID.
//
// # Errors
//
// Invalid input (empty or duplicate IDs, NaN, infinite or negative
// numbers, impossible pins) gives an error that joins one
// [*InputError] per fault, each naming the field and the ID, and
// wrapping a sentinel such as [ErrNegative]. Nothing panics on data.
// Input that is odd but workable (a case held by a worker who left, a
// decline by a stranger) is not an error: it is reported as a notice,
// and no case is ever silently dropped.
//
// # Concurrency
//
// Functions do not modify their arguments and keep no global state; a
// [Team] is safe for concurrent use. [Propose] is the only call that may
// run long; it takes a context and, when the context is done, returns
// the best complete proposal found so far with an error, and the status
// [StatusStopped]. Placement then still comes to 1,024 queued cases or
// families, the most urgent first (by deadline, priority, arrival, ID);
// the others stay queued, listed as not reached ([CodeNotReached]).
// What follows the deadline is linear in the input. Validation comes
// first and is not cut short: a service that holds calls to a
// deadline prepares the team once and calls [Team.Propose].
package balance
