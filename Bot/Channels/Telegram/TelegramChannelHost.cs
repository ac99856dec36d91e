using System.Globalization;
using BotEngine.Engine.Channels;
using BotEngine.Storage;
using BotEngine.Storage.Channels;
using Microsoft.Extensions.Logging;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace BotEngine.Channels.Telegram;

/// <summary>
/// Runs what each configured Telegram bot needs on this node: a long-polling loop for bots in polling mode, the
/// webhook registration for bots in webhook mode with a <c>webhookUrl</c>. Follows configuration changes without
/// a restart. The polling offset is stored after the updates before it are, so a restart neither loses nor repeats
/// work (a repeat would be dropped by the inbound gateway anyway). Of several nodes, the one holding the channel's
/// polling lease polls; the others wait for it to lapse.
/// </summary>
public sealed partial class TelegramChannelHost(
    ChannelDirectory channels,
    ChannelStore store,
    TelegramClients clients,
    TelegramInbound inbound,
    ChannelHealthRecorder health,
    TimeProvider time,
    ILogger<TelegramChannelHost> logger) : ChannelLoopHost(channels)
{
    /// <summary>How long one getUpdates call waits for an update (Telegram allows up to 50 s).</summary>
    private const int PollSeconds = 25;
    /// <summary>How long a node's right to poll a bot lasts unless renewed (each poll renews it).</summary>
    private static readonly TimeSpan PollLease = TimeSpan.FromSeconds(60);
    private readonly string _node = Guid.NewGuid().ToString("N");
    private const int SkipAfterFailures = 5;

    protected override bool Wants(ChannelInstance channel) => channel.Type == TelegramChannelType.TypeName;

    protected override Task RunAsync(ChannelInstance channel, CancellationToken cancellationToken) =>
        channel.Setting("mode") == TelegramChannelType.Webhook ? RegisterWebhookAsync(channel, cancellationToken) : PollAsync(channel, cancellationToken);

    private async Task RegisterWebhookAsync(ChannelInstance channel, CancellationToken cancellationToken)
    {
        if (channel.Setting("webhookUrl") is not { } url)
            return; // Registered by the administrator, pointing at TelegramWebhook.PathOf(channel).
        for (var attempt = 0; !cancellationToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await clients.For(channel).SetWebhook(url, secretToken: channel.Setting("webhookSecret"), cancellationToken: cancellationToken);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                await FailedAsync(channel, ex, attempt, cancellationToken);
            }
        }
    }

    private async Task PollAsync(ChannelInstance channel, CancellationToken cancellationToken)
    {
        int? offset = int.TryParse(channel.InboundCursor, NumberStyles.None, CultureInfo.InvariantCulture, out var stored) ? stored : null;
        var webhookRemoved = false;
        var failures = 0;
        var leased = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var now = time.GetUtcNow();
                leased = await store.LeasePollingAsync(channel.Id, _node, TimeExtensions.ToMicros(now), TimeExtensions.ToMicros(now + PollLease), cancellationToken);
                if (!leased)
                {
                    await Task.Delay(PollLease / 4, time, cancellationToken);
                    continue;
                }
                var client = clients.For(channel);
                if (!webhookRemoved)
                {
                    // Telegram refuses getUpdates while a webhook is set.
                    await client.DeleteWebhook(cancellationToken: cancellationToken);
                    webhookRemoved = true;
                }
                var updates = await client.GetUpdates(offset, 100, PollSeconds, cancellationToken: cancellationToken);
                foreach (var update in updates)
                {
                    await AcceptOrSkipAsync(channel, update, failures, cancellationToken);
                    offset = update.Id + 1;
                    failures = 0;
                }
                if (updates.Length > 0)
                    await store.SaveCursorAsync(channel.Id, offset!.Value.ToString(CultureInfo.InvariantCulture), time.NowMicros(), cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                await FailedAsync(channel, ex, failures++, cancellationToken);
            }
        }
        if (leased)
            await ReleaseAsync(channel);
    }

    private async Task ReleaseAsync(ChannelInstance channel)
    {
        try
        {
            await store.ReleasePollingAsync(channel.Id, _node, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The lease lapses on its own; another node waits a little longer.
            LogReleaseFailed(logger, ex, channel.Id);
        }
    }

    /// <summary>An update that keeps failing is skipped after <see cref="SkipAfterFailures"/> tries, so one bad update cannot stop the bot.</summary>
    private async Task AcceptOrSkipAsync(ChannelInstance channel, Update update, int failures, CancellationToken cancellationToken)
    {
        try
        {
            await inbound.AcceptAsync(channel, update, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && failures + 1 >= SkipAfterFailures)
        {
            LogUpdateSkipped(logger, ex, channel.Id, update.Id, SkipAfterFailures);
            await health.FailedAsync(channel.Id, $"update {update.Id} skipped after {SkipAfterFailures} failures: {ex.Message}", cancellationToken);
        }
    }

    private async Task FailedAsync(ChannelInstance channel, Exception ex, int attempt, CancellationToken cancellationToken)
    {
        LogChannelFailed(logger, ex, channel.Id, attempt + 1);
        await health.FailedAsync(channel.Id, ex.Message, CancellationToken.None);
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, attempt))), time, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(EventId = 1310, Level = LogLevel.Warning, Message = "Telegram channel {Channel} failed (attempt {Attempt}); retrying")]
    private static partial void LogChannelFailed(ILogger logger, Exception ex, string channel, int attempt);

    [LoggerMessage(EventId = 1312, Level = LogLevel.Warning, Message = "Telegram channel {Channel}: the polling lease could not be given up")]
    private static partial void LogReleaseFailed(ILogger logger, Exception ex, string channel);

    [LoggerMessage(EventId = 1311, Level = LogLevel.Error, Message = "Telegram channel {Channel}: update {UpdateId} skipped after {Failures} failures")]
    private static partial void LogUpdateSkipped(ILogger logger, Exception ex, string channel, int updateId, int failures);
}
