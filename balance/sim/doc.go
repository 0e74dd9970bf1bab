// Package sim simulates distribution policies for a caseload team over
// time, so that a researcher can compare them before a team adopts one:
// equal case counts against equal weighted load, the library's intake
// ranking alone against a weekly rebalance, a move budget of 2 against
// 10, or a policy of their own.
//
// A [Config] describes the team and its work. Each week a meeting
// allocates: cases arrive by type (Poisson, with optional seasonality
// by month), run a log-normal number of weeks, and weigh what package
// weight's model says for their phase (heavier at intake); workers'
// capacities and caseload limits come from package norm's contracts,
// with sick spells drawn at a rate and of a log-normal length, planned
// leave, a new hire with an onboarding ramp, and a worker who leaves,
// whose cases go back to the queue and are placed again. Workers decline
// a case with a probability. After the meeting the team is scored and
// package balance raises its early-warning signals. With
// [Config.Slowdown], overload slows the work down, so that lead times
// depend on the policy.
//
// A [Policy] decides who takes what; [Policies] returns the six built in
// (round robin, fewest cases, least load, the library's ranking, ranking
// with a weekly Propose under a move budget, and counts-based Propose),
// and a researcher plugs in their own by implementing Allocate on a
// [Week]. [Run] runs one policy on one replication; [Study] runs many
// policies on many replications in parallel and [StudyResult] gives
// means with 95% confidence intervals ([Estimate95]) and paired
// comparisons of two policies ([Pair]).
//
// # Units
//
// Weights, loads and capacities are in hours per week
// ([balance.HoursPerWeek]); utilization is load divided by capacity, a
// fraction where 1 is full. Durations of cases are in weeks, sick spells
// in calendar days, waits in working days (Monday to Friday). Rates are
// per week (arrivals) or per year (sick spells). Dates are
// [civil.Date]; the package never reads the clock.
//
// # Determinism
//
// Every draw comes from a PCG stream of math/rand/v2 seeded with
// [Config.Seed], the replication, the purpose (arrivals, attributes,
// durations, absences, declines) and the case type or worker: gonum's
// distuv distributions take these streams as their Src. There is no
// global state. The same Config gives the same results bit for bit
// whatever the number of goroutines, and every policy of a replication
// sees the same arrivals, durations, absences and declines (common
// random numbers), so that paired differences carry the policies'
// effect alone.
//
// # Errors
//
// An invalid Config gives an error joining every fault, each wrapping
// [ErrConfig] (or the sentinel errors of packages weight and norm). A
// policy that names a case or worker not in the week's problem stops the
// run with an error. Nothing panics on data; a case lost by the
// simulation itself would be a bug, and panics.
//
// # Concurrency
//
// Run and Study are safe for concurrent use. Study calls a Policy from
// several goroutines at once, so a Policy keeps no state between calls:
// what it needs of the past is in the Week.
//
// # Sweeps on a batch engine
//
// A sweep over thousands of configurations is embarrassingly parallel:
// write one JSON Config per job (cmd/jq or a script varies the fields),
// run the study of each job on its own, and concatenate the CSV files.
// With the runnable study in examples/simulate:
//
//	go build -o simulate ./examples/simulate
//	# one job, e.g. a Slurm array task or a GNU parallel slot:
//	./simulate -config jobs/$JOB.json -replications 30 -out out/$JOB
//	# afterwards: every job wrote out/$JOB/summary.csv with a header;
//	awk 'FNR>1 || NR==1' out/*/summary.csv > sweep.csv
//
// For example, "parallel ./simulate -config {} -out out/{/.} ::: jobs/*.json"
// on one machine, or a Slurm array with --array=0-999 whose task reads
// jobs/$SLURM_ARRAY_TASK_ID.json. Each job depends on its file alone,
// so a failed job is run again with the same result; the seed is in the
// file, and the summary rows name the policy and replication.
package sim
