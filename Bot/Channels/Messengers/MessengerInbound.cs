using System.Globalization;
using System.Text.Json.Nodes;
using BotEngine.Engine.Channels;
using BotEngine.Engine.Clients;
using BotEngine.Engine.Files;
using BotEngine.Engine.Pipeline;
using BotEngine.Engine.Schema;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotEngine.Channels.Messengers;

/// <summary>
/// Turns a message a messenger's webhook parsed into our activity and hands it to the inbound gateway, which stores
/// it once however often the messenger delivers it. A pressed button (or a typed option number) becomes the chosen
/// action, a deep link attaches the account to its client first, a file is fetched into our store, and a phone
/// shared with the messenger's own button goes into the client's profile.
/// </summary>
public sealed partial class MessengerInbound(
    InboundGateway gateway,
    OfferedActions offered,
    FileStore files,
    FileUrls urls,
    ChannelHealthRecorder health,
    ClientLinks links,
    ClientIdentity identity,
    IHttpClientFactory httpClients,
    IOptions<FilesOptions> fileOptions,
    ILogger<MessengerInbound> logger)
{
    public const string HttpClientName = "messengers";

    public async Task AcceptAsync(ChannelInstance channel, IncomingMessage message, CancellationToken cancellationToken)
    {
        var conversation = MessengerConversations.Id(channel.Type, channel.Id, message.Peer);
        var activity = new Activity
        {
            Type = Activity.Types.Message,
            From = new ChannelAccount { Id = message.AccountId, Name = message.AccountName, Role = "user" },
            Recipient = new ChannelAccount { Id = OutboundWriter.BotAccountId, Role = "bot" },
            Locale = message.Locale,
            Text = message.Text,
            Value = message.Value?.DeepClone(),
            ChannelData = new JsonObject { [channel.Type] = message.ChannelData?.DeepClone() ?? new JsonObject() },
        };

        var chosen = await offered.PressedAsync(conversation, message.Payload, cancellationToken)
            ?? await offered.LabelledAsync(conversation, message.AnsweredMessageId, message.Text, cancellationToken)
            ?? (message.Payload is null && message.File is null ? await offered.NumberedAsync(conversation, message.Text, cancellationToken) : null);
        if (chosen is not null)
        {
            activity.Text = chosen.Text ?? chosen.Title;
            activity.Value = chosen.Value?.DeepClone();
        }
        if (message.SharedPhone is { } phone)
        {
            activity.Value = new JsonObject { ["contact"] = new JsonObject { ["phone"] = phone, ["own"] = true } };
            activity.Text ??= phone;
        }
        if (message.Location is { } location)
        {
            activity.Value = new JsonObject { ["location"] = new JsonObject { ["latitude"] = location.Latitude, ["longitude"] = location.Longitude } };
            activity.Text ??= string.Create(CultureInfo.InvariantCulture, $"{location.Latitude:0.######}, {location.Longitude:0.######}");
        }

        var stored = new List<NewFile>();
        if (message.File is { } remote && await DownloadAsync(channel, remote, cancellationToken) is { } downloaded)
        {
            stored.Add(downloaded);
            activity.Attachments = [new Attachment { ContentType = downloaded.ContentType, ContentUrl = urls.Absolute(downloaded.Id, downloaded.Name), Name = downloaded.Name }];
        }
        if (string.IsNullOrEmpty(activity.Text) && stored.Count == 0 && activity.Value is null)
        {
            LogSkipped(logger, channel.Id, message.ChannelMessageId);
            return;
        }

        // A deep link attaches this account to the profile the link was made for before the message is stored, so the
        // message already joins that client's dialog.
        if (message.LinkToken is { } token)
            await RedeemAsync(channel, message.AccountId, message.AccountName, token, cancellationToken);

        var inbound = new InboundActivity(channel.Id, conversation, message.AccountId, message.AccountName, message.ChannelMessageId, activity);
        await gateway.AcceptAsync(inbound, stored.Count == 0 ? null : (c, t, _, _, _) => files.InsertAsync(c, t, stored, UploaderKinds.Client, conversation), cancellationToken);
        await health.InboundAsync(channel.Id, cancellationToken);

        if (message.SharedPhone is { } shared)
        {
            try
            {
                await identity.ShareContactAsync(channel.Id, conversation, message.AccountId, shared, channel.Type, cancellationToken);
            }
            catch (ClientProfileException ex)
            {
                LogContactRefused(logger, channel.Id, ex.Message);
            }
        }
    }

    /// <summary>A deep link opened without a message (Viber's conversation_started, Facebook's referral).</summary>
    public async Task RedeemAsync(ChannelInstance channel, string accountId, string? accountName, string token, CancellationToken cancellationToken)
    {
        var (outcome, _) = await links.RedeemAsync(token, channel.Id, accountId, accountName, cancellationToken);
        LogLinkRedeemed(logger, channel.Id, outcome.ToString());
    }

    private async Task<NewFile?> DownloadAsync(ChannelInstance channel, RemoteFile remote, CancellationToken cancellationToken)
    {
        var limit = fileOptions.Value.MaxFileBytes;
        if (remote.Size > limit || !Uri.TryCreate(remote.Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            LogFileNotTaken(logger, channel.Id, remote.Url);
            return null;
        }
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName).GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            response.EnsureSuccessStatusCode();
            if (await RemoteFileContent.ReadAsync(response, remote, uri, limit, cancellationToken) is { } file)
                return file;
            LogFileNotTaken(logger, channel.Id, remote.Url);
            return null;
        }
        catch (HttpRequestException ex)
        {
            // The message still counts without its file; the messenger would otherwise resend it forever.
            LogFileFailed(logger, ex, channel.Id, remote.Url);
            return null;
        }
    }

    [LoggerMessage(EventId = 1400, Level = LogLevel.Debug, Message = "Channel {Channel}: message {MessageId} carries nothing the engine takes")]
    private static partial void LogSkipped(ILogger logger, string channel, string messageId);

    [LoggerMessage(EventId = 1401, Level = LogLevel.Warning, Message = "Channel {Channel}: the file at {Url} is too large (Files:MaxFileBytes) or not a web address; not stored")]
    private static partial void LogFileNotTaken(ILogger logger, string channel, string url);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Warning, Message = "Channel {Channel}: fetching the file at {Url} failed; the message is taken without it")]
    private static partial void LogFileFailed(ILogger logger, Exception ex, string channel, string url);

    [LoggerMessage(EventId = 1403, Level = LogLevel.Information, Message = "Channel {Channel}: a deep link was opened ({Outcome})")]
    private static partial void LogLinkRedeemed(ILogger logger, string channel, string outcome);

    [LoggerMessage(EventId = 1404, Level = LogLevel.Warning, Message = "Channel {Channel}: the shared phone was not taken into the profile: {Reason}")]
    private static partial void LogContactRefused(ILogger logger, string channel, string reason);
}
