using BotEngine.Engine.Channels;
using BotEngine.Engine.Schema;
using BotEngine.Http;
using BotEngine.Storage;
using BotEngine.Storage.Messages;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace BotEngine.Channels.Messengers.CustomApi;

/// <summary>
/// The custom API channel's endpoints, for a company's own app: <c>POST /channels/api/{channel}/messages</c> takes a
/// client's message (the app's message id makes a repeat a no-op), <c>GET .../users/{userId}/messages?after=</c>
/// reads our replies for an app without a webhook. Both need the channel's API key as a bearer token.
/// </summary>
public static class ApiChannelEndpoints
{
    public const int MaxTextLength = 4000;
    public const int MaxPage = 100;

    public static string MessagesPathOf(string channel) => $"/channels/api/{Uri.EscapeDataString(channel)}/messages";

    public static void MapApiChannel(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/channels/api/{channel}").WithTags("channel-api");
        api.MapPost("/messages", ReceiveAsync)
            .AllowPublic("the custom API channel: authenticated by the channel's API key as a bearer token");
        api.MapGet("/users/{userId}/messages", ReadAsync)
            .AllowPublic("the custom API channel: authenticated by the channel's API key as a bearer token");
    }

    private static async Task<Results<Accepted<ApiChannelAccepted>, ProblemHttpResult>> ReceiveAsync(
        string channel, ApiChannelMessage? body, HttpRequest request, ChannelDirectory channels, MessengerInbound inbound, CancellationToken ct)
    {
        if (Authorize(channel, request, channels) is { } refused)
            return refused;
        var instance = channels.Find(channel)!;
        if (body is null)
            return Problem(400, "Send a JSON object with userId, messageId and text (or value, fileUrl, phone).");
        if (Invalid(body) is { } problem)
            return Problem(400, problem);
        var message = new IncomingMessage(body.UserId!, body.UserId!, body.UserName?.Trim(), body.Locale, "api:" + body.MessageId, string.IsNullOrWhiteSpace(body.Text) ? null : body.Text)
        {
            // The company's app knows its signed-in user: a phone it sends is vouched for like a messenger's shared contact.
            SharedPhone = string.IsNullOrWhiteSpace(body.Phone) ? null : body.Phone.Trim(),
            File = body.FileUrl is { } url ? new RemoteFile(url, body.FileName, null, null) : null,
            Value = body.Value,
        };
        await inbound.AcceptAsync(instance, message, ct);
        return TypedResults.Accepted((string?)null, new ApiChannelAccepted(MessengerConversations.Id(ApiChannelType.TypeName, channel, body.UserId!)));
    }

    private static async Task<Results<Ok<IReadOnlyList<ApiChannelReply>>, ProblemHttpResult>> ReadAsync(
        string channel, string userId, string? after, int? limit, HttpRequest request, ChannelDirectory channels, SentActivities sent, CancellationToken ct)
    {
        if (Authorize(channel, request, channels) is { } refused)
            return refused;
        if (!ApiChannelCursor.TryParse(after, out var micros, out var id))
            return Problem(400, "after: not a cursor this API gave (use a reply's cursor).");
        if (limit is < 1 or > MaxPage)
            return Problem(400, $"limit: 1-{MaxPage}.");
        var conversation = MessengerConversations.Id(ApiChannelType.TypeName, channel, userId);
        var rows = await sent.AfterAsync(conversation, micros, id, limit ?? 50, ct);
        return TypedResults.Ok<IReadOnlyList<ApiChannelReply>>(rows.Select(r =>
            new ApiChannelReply(r.Id, channel, userId, ApiChannelCursor.Of(r.CreatedAt, r.Id), TimeExtensions.FromMicros(r.CreatedAt), ActivityJson.Deserialize(r.Activity))).ToList());
    }

    private static ProblemHttpResult? Authorize(string channel, HttpRequest request, ChannelDirectory channels)
    {
        if (channels.Find(channel) is not { Type: ApiChannelType.TypeName, Enabled: true } instance || instance.Setting("apiKey") is not { } key)
            return Problem(404, $"There is no enabled API channel '{channel}'.");
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal) && WebhookSignature.SameSecret(header[7..].Trim(), key)
            ? null
            : Problem(401, "Send the channel's API key as 'Authorization: Bearer <apiKey>'.");
    }

    private static string? Invalid(ApiChannelMessage body)
    {
        if (string.IsNullOrWhiteSpace(body.UserId) || body.UserId.Length > 128 || body.UserId.Any(char.IsControl))
            return "userId: required, the client's id in your app (up to 128 characters).";
        if (string.IsNullOrWhiteSpace(body.MessageId) || body.MessageId.Length > 128)
            return "messageId: required, your id for this message (up to 128 characters); a repeat with the same id is stored once.";
        if (body.Text is { Length: > MaxTextLength })
            return $"text: at most {MaxTextLength} characters.";
        if (string.IsNullOrWhiteSpace(body.Text) && body.Value is null && body.FileUrl is null && body.Phone is null)
            return "text: required unless the message carries a value, a fileUrl or a phone.";
        if (body.FileUrl is { } url && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
            return "fileUrl: an absolute http(s) URL the engine can fetch the file from.";
        if (body.UserName is { Length: > 200 } || body.FileName is { Length: > 200 } || body.Locale is { Length: > 20 } || body.Phone is { Length: > 30 })
            return "userName and fileName: at most 200 characters; locale: 20; phone: 30.";
        return null;
    }

    private static ProblemHttpResult Problem(int status, string detail) => TypedResults.Problem(statusCode: status, detail: detail);
}
