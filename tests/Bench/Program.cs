using BotEngine.Bench;

return args.FirstOrDefault() switch
{
    "pipeline" => await PipelineBenchmark.RunAsync(args[1..]),
    "routing" => await RoutingBenchmark.RunAsync(args[1..]),
    "login-flood" => await LoginFloodBenchmark.RunAsync(args[1..]),
    "statistics" => await StatisticsBenchmark.RunAsync(args[1..]),
    "learning-month" => await LearningMonthBenchmark.RunAsync(args[1..]),
    "kb-paging" => await KbPagingBenchmark.RunAsync(args[1..]),
    "nearest-phrasing" => NearestPhrasingBenchmark.Run(args[1..]),
    "encoder" => EncoderLatencyBenchmark.Run(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Bench pipeline [--seconds N] [--clients N] [--postgres CONNECTION_STRING]");
    Console.Error.WriteLine("       Bench routing [--dialogs N] [--operators N] [--postgres CONNECTION_STRING]");
    Console.Error.WriteLine("       Bench statistics [--dialogs N] [--runs N] [--postgres CONNECTION_STRING]");
    Console.Error.WriteLine("       Bench learning-month [--data DIR] [--shots 10] [--weeks 4] [--folds 2] [--python /usr/bin/python3] [-- ENGINE ARGS]");
    Console.Error.WriteLine("       Bench kb-paging [--articles 10000] [--pages 40] [--limit 50] [--quality-minutes 20]");
    Console.Error.WriteLine("       Bench nearest-phrasing --train TRAIN.tsv --test TEST.tsv");
    Console.Error.WriteLine("       Bench encoder --test TEST.tsv [--encoder minilm|arctic] [--core N]");
    Console.Error.WriteLine("       Bench login-flood [--seconds N] [--flooders N] [--clients N] [--addresses N] [-- ENGINE ARGS]");
    return 2;
}
