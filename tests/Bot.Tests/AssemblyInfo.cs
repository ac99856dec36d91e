// Each test runs whole engines (and some two at once on one PostgreSQL): in parallel they would compete for the
// two cores and for PostgreSQL's connection slots, and timing-based waits would turn flaky.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
