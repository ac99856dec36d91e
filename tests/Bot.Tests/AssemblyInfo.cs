// Test classes run three at a time: most of a test is waiting on an engine, a peer or a timer. Those that need the
// machine to themselves are in the serial collection (SerialTests), which xunit runs after the parallel ones.
[assembly: CollectionBehavior(CollectionBehavior.CollectionPerClass, MaxParallelThreads = 3)]
