using BotEngine.Engine.Pipeline;
using BotEngine.Storage;
using BotEngine.Storage.Workplace;
using Microsoft.Extensions.Options;

namespace BotEngine.Engine.Desk;

/// <summary>
/// Takes offline the operators whose workplace page has not been heard from for <see cref="PresenceOptions.Timeout"/>
/// (the browser or the last tab was closed, the machine went to sleep): their dialogs go back as going offline returns
/// them, and routing stops counting them as online. Every node runs it; the desk checks again under the routing lock.
/// </summary>
public sealed partial class PresenceLoop(
    PresenceStore presence,
    OperatorDesk desk,
    TimeProvider time,
    IOptions<PresenceOptions> options,
    ILogger<PresenceLoop> logger) : PeriodicWorker(time, logger)
{
    protected override TimeSpan Interval => options.Value.CheckInterval;

    protected override async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        await ExpireAsync(cancellationToken);
        return false;
    }

    /// <summary>One round; the operators it took offline.</summary>
    public async Task<List<string>> ExpireAsync(CancellationToken cancellationToken)
    {
        var cutoff = TimeExtensions.ToMicros(Time.GetUtcNow() - options.Value.Timeout);
        var expired = new List<string>();
        foreach (var operatorId in await presence.StaleAsync(cutoff, cancellationToken))
        {
            if (!await desk.ExpirePresenceAsync(operatorId, cutoff, cancellationToken))
                continue;
            LogWentOffline(logger, operatorId, options.Value.Timeout);
            expired.Add(operatorId);
        }
        return expired;
    }

    [LoggerMessage(EventId = 1480, Level = LogLevel.Information, Message = "Operator {OperatorId} went offline: no page heard from for {Timeout}")]
    private static partial void LogWentOffline(ILogger logger, string operatorId, TimeSpan timeout);
}
