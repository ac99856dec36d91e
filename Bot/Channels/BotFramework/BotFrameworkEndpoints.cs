using System.Text.Json;
using System.Text.Json.Nodes;
using BotEngine.Channels.Messengers;
using BotEngine.Engine.Channels;
using BotEngine.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BotEngine.Channels.BotFramework;

/// <summary>
/// The messaging endpoint Azure Bot Service posts activities to: <c>POST /channels/botframework/{channel}/messages</c>
/// for one configured bot, and <c>POST /api/messages</c> (the path Azure's and Teams' guides name), which serves the
/// channel whose App ID the token is for. The Connector's JWT is checked before anything is stored: none is 401, a
/// bad one 403. The activity is stored durably and answered 200 at once; the bot's turn runs on the inbox.
/// </summary>
public static partial class BotFrameworkEndpoints
{
    public const string DefaultPath = "/api/messages";

    public static string PathOf(string channel) => $"/channels/botframework/{Uri.EscapeDataString(channel)}/messages";

    public static void MapBotFrameworkMessages(this IEndpointRouteBuilder app)
    {
        app.MapPost("/channels/botframework/{channel}/messages", ReceiveForChannelAsync)
            .ExcludeFromDescription()
            .AllowPublic("the Bot Framework Connector's messaging endpoint: authenticated by the Connector's signed JWT");
        app.MapPost(DefaultPath, ReceiveForAudienceAsync)
            .ExcludeFromDescription()
            .AllowPublic("the Bot Framework Connector's default messaging endpoint: authenticated by the Connector's signed JWT, whose audience picks the bot");
    }

    private static Task<IResult> ReceiveForChannelAsync(string channel, HttpRequest request, ChannelDirectory channels, ConnectorTokenValidator validator,
        BotFrameworkInbound inbound, IOptions<RequestLimitsOptions> limits, ILogger<BotFrameworkInbound> logger, CancellationToken ct)
    {
        if (channels.Find(channel) is not { Type: BotFrameworkChannelType.TypeName, Enabled: true } instance)
            return Task.FromResult(Results.Problem(statusCode: 404, detail: $"There is no enabled Bot Framework channel '{channel}'."));
        return ReceiveAsync(instance, request, validator, inbound, limits.Value, logger, ct);
    }

    private static Task<IResult> ReceiveForAudienceAsync(HttpRequest request, ChannelDirectory channels, ConnectorTokenValidator validator,
        BotFrameworkInbound inbound, IOptions<RequestLimitsOptions> limits, ILogger<BotFrameworkInbound> logger, CancellationToken ct)
    {
        if (ConnectorTokenValidator.BearerOf(request.Headers.Authorization) is not { } token)
            return Task.FromResult(NoToken());
        var audiences = validator.UnverifiedAudiences(token);
        var instance = channels.All.FirstOrDefault(c => c is { Type: BotFrameworkChannelType.TypeName, Enabled: true } && audiences.Contains(c.Setting("appId") ?? ""));
        if (instance is null)
            return Task.FromResult(Results.Problem(statusCode: 403, detail: "The token is not for the App ID of any enabled Bot Framework channel."));
        return ReceiveAsync(instance, request, validator, inbound, limits.Value, logger, ct);
    }

    private static async Task<IResult> ReceiveAsync(ChannelInstance channel, HttpRequest request, ConnectorTokenValidator validator, BotFrameworkInbound inbound,
        RequestLimitsOptions limits, ILogger logger, CancellationToken ct)
    {
        if (ConnectorTokenValidator.BearerOf(request.Headers.Authorization) is not { } token)
            return NoToken();
        var body = await WebhookSignature.ReadBodyAsync(request, ct);
        if (StrictJson.Check(body, limits.MaxJsonDepth) is { } invalid)
            return Results.Problem(statusCode: 400, detail: $"The body is not an activity: {invalid}");
        JsonObject json;
        try
        {
            json = JsonNode.Parse(body) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException ex)
        {
            return Results.Problem(statusCode: 400, detail: $"The body is not an activity: {ex.Message}");
        }

        var refusal = await validator.RefusalAsync(channel, token, JsonFields.Text(json["serviceUrl"]), JsonFields.Text(json["channelId"]), ct);
        if (refusal is not null)
        {
            LogRefused(logger, channel.Id, refusal);
            return Results.Problem(statusCode: 403, detail: $"The Connector's token was refused: {refusal}.");
        }
        var (activity, problem) = ConnectorActivity.Read(json);
        if (activity is null)
            return Results.Problem(statusCode: 400, detail: problem);
        // Answered once the activity is stored: a failure before that makes the Connector send it again, and a repeat is a no-op.
        await inbound.AcceptAsync(channel, activity, ct);
        return Results.Ok();
    }

    private static IResult NoToken() =>
        Results.Problem(statusCode: 401, detail: "The Connector's token is required: 'Authorization: Bearer <JWT>'.");

    [LoggerMessage(EventId = 1425, Level = LogLevel.Warning, Message = "Bot Framework channel {Channel}: an activity was refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string channel, string reason);
}
