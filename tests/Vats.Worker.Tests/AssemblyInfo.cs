// Most of a test's time is a worker process starting and waiting on its socket, so two fixtures at a time use the two
// cores better; tests share nothing (each worker has its own folder, socket and cache).
[assembly: Parallelizable(ParallelScope.Fixtures)]
[assembly: LevelOfParallelism(2)]
