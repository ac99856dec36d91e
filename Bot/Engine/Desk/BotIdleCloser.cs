using BotEngine.Conversations;
using BotEngine.Engine.Agents;
using BotEngine.Engine.Knowledge;
using BotEngine.KnowledgeBase;
using BotEngine.Engine.Pipeline;
using BotEngine.Handoff;
using BotEngine.Storage;
using BotEngine.Storage.Desk;
using BotEngine.Storage.Dialogs;
using Microsoft.Extensions.Options;

namespace BotEngine.Engine.Desk;

/// <summary>
/// Closes dialogs with the bot that heard nothing for their call centre's <see cref="TimerSettings.BotIdleTimeout"/>
/// (default 10 minutes), so they reach the closed list and statistics, and the client's next message starts a new
/// dialog with the greeting. Runs on every node: a close is a versioned update that also requires the dialog's
/// last-message time unchanged, so a message arriving meanwhile keeps the dialog open and two nodes close it once.
/// A dialog an external agent owns is closed the same way once the agent owes nothing (no call open, no asynchronous
/// answer awaited: its answer timeout applies first), and the agent gets <c>dialogClosed</c>.
/// </summary>
public sealed partial class BotIdleCloser(
    Database database,
    OutboundWriter writer,
    EffectsPublisher effects,
    AgentLifecycleEvents agentEvents,
    TimeProvider time,
    IOptions<BotIdleOptions> options,
    ILogger<BotIdleCloser> logger) : PeriodicWorker(time, logger)
{
    /// <summary>Dialogs closed per transaction.</summary>
    private const int BatchSize = 100;

    protected override TimeSpan Interval => options.Value.CheckInterval;

    protected override async Task<bool> RunOnceAsync(CancellationToken cancellationToken) => await CloseIdleAsync(cancellationToken) >= BatchSize;

    /// <summary>Closes up to a batch of idle bot dialogs; answers how many it closed.</summary>
    public async Task<int> CloseIdleAsync(CancellationToken cancellationToken)
    {
        var result = await database.WriteAsync(async (c, t) =>
        {
            var now = Time.NowMicros();
            var configured = (await CallCentreStore.ConfiguredAsync(c, t)).ToDictionary(s => s.CallCentre, StringComparer.Ordinal);
            // The shortest timeout any call centre has (unconfigured ones have the default) bounds the rows to look at.
            var timeouts = configured.Values.Select(s => s.Timers.BotIdleTimeout).Append(new TimerSettings().BotIdleTimeout).OfType<TimeSpan>().ToList();
            if (timeouts.Count == 0)
                return (Closed: new List<string>(), Sent: new List<StoredMessage>(), AgentCalled: false);
            var cutoff = now - (long)timeouts.Min().TotalMicroseconds;
            var closed = new List<string>();
            var sent = new List<StoredMessage>();
            var agentCalled = false;
            foreach (var row in await BotIdleStore.QuietAsync(c, t, cutoff, BatchSize))
            {
                var settings = configured.GetValueOrDefault(row.CallCentre ?? CallCentres.Default)?.Timers ?? new TimerSettings();
                if (settings.BotIdleTimeout is not { } timeout || row.LastMessageAt + (long)timeout.TotalMicroseconds > now)
                    continue;
                if (!await BotIdleStore.CloseAsync(c, t, row, now))
                    continue;
                agentCalled |= await agentEvents.ClosedAsync(c, t, row, AgentClosers.Timer, null);
                if (settings.BotIdleCloseMessage is { Length: > 0 } text)
                    sent.Add(await writer.AppendAsync(c, t, row, BotResponder.SystemMessage(text), null));
                closed.Add(row.Id);
            }
            return (Closed: closed, Sent: sent, AgentCalled: agentCalled);
        }, cancellationToken);

        if (result.Closed.Count > 0)
        {
            LogClosed(logger, result.Closed.Count);
            await effects.PublishAsync(new CommittedEffects
            {
                Sent = result.Sent,
                Changed = [.. result.Closed.Select(id => new FeedEvent.DialogChanged(id, DialogStates.Closed, null))],
                AgentCalled = result.AgentCalled,
            }, cancellationToken);
        }
        return result.Closed.Count;
    }

    [LoggerMessage(EventId = 760, Level = LogLevel.Information, Message = "Closed {Count} dialogs with the bot after their idle timeout")]
    private static partial void LogClosed(ILogger logger, int count);
}
