using System.Net.Http.Headers;
using BotEngine.Channels.Messengers;
using BotEngine.Engine.Channels;
using BotEngine.Engine.Files;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotEngine.Channels.BotFramework;

/// <summary>
/// Fetches the files a client sent into our store, up to <see cref="FilesOptions.MaxFileBytes"/> each. Teams keeps a
/// picture sent in a chat on the Connector's own host, which wants the bot's token; other URLs (Teams' pre-authorised
/// download links, a channel's public media) are fetched without it, so the token never leaves the Connector.
/// </summary>
public sealed partial class ConnectorFiles(IHttpClientFactory httpClients, ConnectorTokens tokens, IOptions<FilesOptions> options, ILogger<ConnectorFiles> logger)
{
    private const int MaxFilesPerMessage = 10;

    public async Task<IReadOnlyList<NewFile>> FetchAsync(ChannelInstance channel, string serviceUrl, IReadOnlyList<RemoteFile> remotes, CancellationToken cancellationToken)
    {
        var stored = new List<NewFile>();
        foreach (var remote in remotes.Take(MaxFilesPerMessage))
        {
            if (await FetchOneAsync(channel, serviceUrl, remote, cancellationToken) is { } file)
                stored.Add(file);
        }
        return stored;
    }

    private async Task<NewFile?> FetchOneAsync(ChannelInstance channel, string serviceUrl, RemoteFile remote, CancellationToken cancellationToken)
    {
        var limit = options.Value.MaxFileBytes;
        if (!Uri.TryCreate(remote.Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            LogNotTaken(logger, channel.Id, remote.Url);
            return null;
        }
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            if (Uri.TryCreate(serviceUrl, UriKind.Absolute, out var service) && string.Equals(service.Authority, uri.Authority, StringComparison.OrdinalIgnoreCase))
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.GetAsync(channel, cancellationToken));
            using var response = await httpClients.CreateClient(ConnectorKeys.HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            response.EnsureSuccessStatusCode();
            if (await RemoteFileContent.ReadAsync(response, remote, uri, limit, cancellationToken) is { } file)
                return file;
            LogNotTaken(logger, channel.Id, remote.Url);
            return null;
        }
        catch (Exception ex) when (ex is HttpRequestException or BotEngine.Engine.Pipeline.ChannelRefusedException or BotEngine.Engine.Pipeline.ChannelRetryLaterException
            || ex is TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // The message still counts without its file; refusing it would make the Connector send it again and again.
            LogFailed(logger, ex, channel.Id, remote.Url);
            return null;
        }
    }

    [LoggerMessage(EventId = 1421, Level = LogLevel.Warning, Message = "Bot Framework channel {Channel}: the file at {Url} is too large (Files:MaxFileBytes) or not a web address; not stored")]
    private static partial void LogNotTaken(ILogger logger, string channel, string url);

    [LoggerMessage(EventId = 1422, Level = LogLevel.Warning, Message = "Bot Framework channel {Channel}: fetching the file at {Url} failed; the message is taken without it")]
    private static partial void LogFailed(ILogger logger, Exception ex, string channel, string url);
}
