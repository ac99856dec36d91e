using BotEngine.Engine.Pipeline;

namespace BotEngine.Engine.Desk;

/// <summary>Runs routing passes when asked and every few seconds as a safety net (overflow deadlines, a killed node).</summary>
public sealed class RoutingLoop(RoutingPass pass, AssignmentSignal signal, TimeProvider time, ILogger<RoutingLoop> logger) : PeriodicWorker(time, logger)
{
    // The wait happens in the signal: a request ends it early.
    protected override TimeSpan Interval => TimeSpan.Zero;

    protected override async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        await signal.WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
        // A full pass may have left more it could take: go again at once.
        return (await pass.RunAsync(cancellationToken)).Count >= pass.Limit;
    }
}
