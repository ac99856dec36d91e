using Microsoft.Extensions.Options;

namespace BotEngine.Engine.Pipeline;

/// <summary>Retries what the fast path could not deliver, and what a crash left in the outbox.</summary>
public sealed class OutboxLoop(OutboxDispatcher dispatcher, IOptions<OutboxOptions> options, TimeProvider time, ILogger<OutboxLoop> logger)
    : PeriodicWorker(time, logger)
{
    protected override TimeSpan Interval => options.Value.SweepInterval;

    protected override async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        await dispatcher.SweepAsync(cancellationToken);
        return false;
    }
}
