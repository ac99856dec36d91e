using BotEngine.Engine.Channels;
using BotEngine.Storage;
using BotEngine.Storage.Channels;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using Microsoft.Extensions.Logging;

namespace BotEngine.Channels.Email;

/// <summary>
/// Polls the mailbox of each enabled e-mail channel that has <c>imapHost</c>, every <c>pollIntervalSeconds</c>, and
/// follows configuration changes without a restart. Mail is taken in UID order and the cursor (<see cref="EmailCursor"/>)
/// stored after each one, so a restart neither loses nor re-reads mail (a re-read would be dropped by its Message-ID
/// anyway). The first poll of a mailbox takes what arrived since the channel was saved, not the whole folder's past.
/// Of several nodes, the one holding the channel's polling lease polls.
/// </summary>
public sealed partial class EmailChannelHost(
    ChannelDirectory channels,
    ChannelStore store,
    EmailInbound inbound,
    ChannelHealthRecorder health,
    TimeProvider time,
    ILogger<EmailChannelHost> logger) : ChannelLoopHost(channels)
{
    private const int SkipAfterFailures = 5;
    /// <summary>Mail that arrived this long before the channel was saved is still taken on the first poll (clocks differ).</summary>
    private static readonly TimeSpan FirstPollMargin = TimeSpan.FromMinutes(5);
    private readonly string _node = Guid.NewGuid().ToString("N");

    protected override bool Wants(ChannelInstance channel) => channel.Type == EmailChannelType.TypeName && channel.Setting("imapHost") is not null;

    protected override Task RunAsync(ChannelInstance channel, CancellationToken cancellationToken) => PollAsync(channel, cancellationToken);

    private async Task PollAsync(ChannelInstance channel, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var settings = EmailSettings.Of(channel);
        var lease = TimeSpan.FromSeconds(Math.Max(60, settings.PollInterval.TotalSeconds * 3));
        var cursor = EmailCursor.Parse(channel.InboundCursor);
        var failures = 0;
        var leased = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var now = time.GetUtcNow();
                leased = await store.LeasePollingAsync(channel.Id, _node, TimeExtensions.ToMicros(now), TimeExtensions.ToMicros(now + lease), cancellationToken);
                if (leased)
                {
                    cursor = await FetchAsync(channel, settings, cursor, failures, cancellationToken);
                    failures = 0;
                }
                await Task.Delay(leased ? settings.PollInterval : lease / 4, time, cancellationToken);
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

    /// <summary>One poll: the mail after the cursor, each taken and the cursor stored after it.</summary>
    private async Task<EmailCursor?> FetchAsync(ChannelInstance channel, EmailSettings settings, EmailCursor? cursor, int failures, CancellationToken cancellationToken)
    {
        using var imap = new ImapClient { Timeout = 60_000 };
        await imap.ConnectAsync(settings.ImapHost ?? throw new InvalidOperationException($"E-mail channel '{channel.Id}' has no imapHost."), settings.ImapPort, settings.ImapSecurity, cancellationToken);
        await imap.AuthenticateAsync(settings.ImapUsername ?? "", settings.ImapPassword ?? "", cancellationToken);
        var folder = await imap.GetFolderAsync(settings.ImapFolder, cancellationToken);
        await folder.OpenAsync(FolderAccess.ReadOnly, cancellationToken);

        IList<UniqueId> uids;
        if (cursor is { } at && at.Validity == folder.UidValidity)
        {
            var after = await folder.SearchAsync(SearchQuery.Uids(new UniqueIdRange(new UniqueId(folder.UidValidity, at.LastUid + 1), UniqueId.MaxValue)), cancellationToken);
            // "n:*" always names the newest message, even one below n.
            uids = [.. after.Where(u => u.Id > at.LastUid).OrderBy(u => u.Id)];
        }
        else
        {
            uids = await FirstPollAsync(channel, folder, cancellationToken);
            cursor = new EmailCursor(folder.UidValidity, uids.Count > 0 ? uids[0].Id - 1 : (folder.UidNext?.Id ?? 1) - 1);
            await store.SaveCursorAsync(channel.Id, cursor.Value.ToString(), time.NowMicros(), cancellationToken);
        }

        foreach (var uid in uids)
        {
            var fallbackId = $"<imap.{folder.UidValidity}.{uid.Id}.{channel.Id}@botengine>";
            var mail = await folder.GetMessageAsync(uid, cancellationToken);
            await AcceptOrSkipAsync(channel, mail, fallbackId, failures, cancellationToken);
            cursor = new EmailCursor(folder.UidValidity, uid.Id);
            await store.SaveCursorAsync(channel.Id, cursor.Value.ToString(), time.NowMicros(), cancellationToken);
        }
        await imap.DisconnectAsync(true, cancellationToken);
        return cursor;
    }

    /// <summary>The mail that arrived since the channel was saved (IMAP searches by day; the time is checked here).</summary>
    private static async Task<IList<UniqueId>> FirstPollAsync(ChannelInstance channel, IMailFolder folder, CancellationToken cancellationToken)
    {
        var since = channel.UpdatedAt - FirstPollMargin;
        var candidates = await folder.SearchAsync(SearchQuery.DeliveredAfter(since.UtcDateTime.Date.AddDays(-1)), cancellationToken);
        if (candidates.Count == 0)
            return [];
        var summaries = await folder.FetchAsync(candidates, MessageSummaryItems.UniqueId | MessageSummaryItems.InternalDate, cancellationToken);
        return [.. summaries.Where(s => s.InternalDate >= since).Select(s => s.UniqueId).OrderBy(u => u.Id)];
    }

    /// <summary>A mail that keeps failing is skipped after <see cref="SkipAfterFailures"/> polls, so one bad mail cannot stop the mailbox.</summary>
    private async Task AcceptOrSkipAsync(ChannelInstance channel, MimeKit.MimeMessage mail, string fallbackId, int failures, CancellationToken cancellationToken)
    {
        try
        {
            await inbound.AcceptAsync(channel, mail, fallbackId, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && failures + 1 >= SkipAfterFailures)
        {
            LogMailSkipped(logger, ex, channel.Id, mail.MessageId ?? fallbackId, SkipAfterFailures);
            await health.FailedAsync(channel.Id, $"mail {mail.MessageId ?? fallbackId} skipped after {SkipAfterFailures} failures: {ex.Message}", cancellationToken);
        }
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

    private async Task FailedAsync(ChannelInstance channel, Exception ex, int attempt, CancellationToken cancellationToken)
    {
        LogChannelFailed(logger, ex, channel.Id, attempt + 1);
        await health.FailedAsync(channel.Id, $"IMAP: {ex.Message}", CancellationToken.None);
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, attempt))), time, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(EventId = 1510, Level = LogLevel.Warning, Message = "E-mail channel {Channel}: polling the mailbox failed (attempt {Attempt}); retrying")]
    private static partial void LogChannelFailed(ILogger logger, Exception ex, string channel, int attempt);

    [LoggerMessage(EventId = 1511, Level = LogLevel.Warning, Message = "E-mail channel {Channel}: the polling lease could not be given up")]
    private static partial void LogReleaseFailed(ILogger logger, Exception ex, string channel);

    [LoggerMessage(EventId = 1512, Level = LogLevel.Error, Message = "E-mail channel {Channel}: mail {MessageId} skipped after {Failures} failures")]
    private static partial void LogMailSkipped(ILogger logger, Exception ex, string channel, string messageId, int failures);
}
