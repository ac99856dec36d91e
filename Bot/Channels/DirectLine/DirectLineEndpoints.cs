using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BotEngine.Engine.Files;
using BotEngine.Http;
using BotEngine.Engine.Pipeline;
using BotEngine.Engine.Schema;
using BotEngine.Storage;
using Microsoft.Extensions.Options;

namespace BotEngine.Channels.DirectLine;

/// <summary>The Direct Line 3.0 server surface that Microsoft's WebChat and directline-js talk to.</summary>
public static class DirectLineEndpoints
{
    public const string CorsPolicy = "directline";
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);
    private const string ActivityPart = "activity";

    public static IEndpointRouteBuilder MapDirectLine(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v3/directline").RequireCors(CorsPolicy).ExcludeFromDescription()
            .AllowPublic("the Direct Line secret or a conversation's token");
        group.MapPost("/tokens/generate", GenerateTokenAsync);
        group.MapPost("/tokens/refresh", RefreshToken);
        group.MapPost("/conversations", StartConversationAsync);
        group.MapGet("/conversations/{conversationId}", ReconnectAsync);
        group.MapGet("/conversations/{conversationId}/activities", GetActivitiesAsync);
        group.MapPost("/conversations/{conversationId}/activities", PostActivityAsync).WithBodyLimit(BodyLimit.DirectLineActivity);
        group.MapPost("/conversations/{conversationId}/upload", UploadAsync).WithBodyLimit(BodyLimit.Upload).DisableAntiforgery();
        group.MapGet("/conversations/{conversationId}/stream", StreamAsync);
        return app;
    }

    private static async Task<IResult> GenerateTokenAsync(HttpRequest request, DirectLineAuth auth, DirectLineStore store, CancellationToken ct)
    {
        var caller = auth.Authenticate(request.Headers.Authorization);
        if (caller.Caller is null)
            return Error(caller.Status, caller.Code!, caller.Message!);
        if (!caller.Caller.IsSecret)
            return Error(403, "BadArgument", "Tokens are generated with the Direct Line secret.");
        var (userId, bodyError) = await ReadUserIdAsync(request, ct);
        if (bodyError is not null)
            return Error(400, "BadArgument", bodyError);
        if (userId is { Length: > 0 } && !userId.StartsWith("dl_", StringComparison.Ordinal))
            return Error(400, "BadArgument", "A user id passed to tokens/generate must start with 'dl_'.");
        // Without a user the engine picks one, so the token (and the conversation) belongs to exactly one client.
        if (string.IsNullOrEmpty(userId))
            userId = DirectLineAuth.NewUserId();
        var conversationId = NewConversationId();
        await store.CreateConversationAsync(conversationId, userId, ct);
        return Results.Ok(TokenResponse(auth, conversationId, userId, null));
    }

    private static IResult RefreshToken(HttpRequest request, DirectLineAuth auth)
    {
        var caller = auth.Authenticate(request.Headers.Authorization);
        if (caller.Caller is null)
            return Error(caller.Status, caller.Code!, caller.Message!);
        if (caller.Caller.IsSecret)
            return Error(403, "BadArgument", "Only a token can be refreshed.");
        return Results.Ok(TokenResponse(auth, caller.Caller.ConversationId!, caller.Caller.UserId, null));
    }

    private static async Task<IResult> StartConversationAsync(HttpRequest request, DirectLineAuth auth, DirectLineStore store, CancellationToken ct)
    {
        var caller = auth.Authenticate(request.Headers.Authorization);
        if (caller.Caller is null)
            return Error(caller.Status, caller.Code!, caller.Message!);
        if (!caller.Caller.IsSecret)
        {
            var id = caller.Caller.ConversationId!;
            var (existed, _) = await store.FindAsync(id, ct);
            if (!existed)
                await store.CreateConversationAsync(id, caller.Caller.UserId ?? DirectLineAuth.NewUserId(), ct);
            var (user, refused) = await BoundUserAsync(store, id, caller.Caller, ct);
            if (refused is not null)
                return refused;
            var body = TokenResponse(auth, id, user, StreamUrl(request, id, auth, user));
            return existed ? Results.Ok(body) : Results.Json(body, statusCode: 201);
        }
        var conversationId = NewConversationId();
        var userId = DirectLineAuth.NewUserId();
        await store.CreateConversationAsync(conversationId, userId, ct);
        return Results.Json(TokenResponse(auth, conversationId, userId, StreamUrl(request, conversationId, auth, userId)), statusCode: 201);
    }

    private static async Task<IResult> ReconnectAsync(string conversationId, HttpRequest request, DirectLineAuth auth, DirectLineStore store, CancellationToken ct)
    {
        var (caller, error) = await AuthorizeConversationAsync(request, auth, store, conversationId, ct);
        if (error is not null)
            return error;
        return Results.Ok(TokenResponse(auth, conversationId, caller!.UserId, StreamUrl(request, conversationId, auth, caller.UserId)));
    }

    private static async Task<IResult> GetActivitiesAsync(string conversationId, string? watermark, HttpRequest request, DirectLineAuth auth, DirectLineStore store, CancellationToken ct)
    {
        var (_, error) = await AuthorizeConversationAsync(request, auth, store, conversationId, ct);
        if (error is not null)
            return error;
        long after = 0;
        if (!string.IsNullOrEmpty(watermark) && !long.TryParse(watermark, out after))
            return Error(400, "BadArgument", $"The watermark '{watermark}' is not one this server issued.");
        var (activities, mark) = await store.ReadAsync(conversationId, after, ct);
        return Results.Text(ActivitySetJson(activities, mark), "application/json; charset=utf-8");
    }

    private static async Task<IResult> PostActivityAsync(string conversationId, HttpRequest request, DirectLineAuth auth, DirectLineStore store, InboundGateway gateway,
        IOptions<DirectLineOptions> options, CancellationToken ct)
    {
        var (caller, error) = await AuthorizeConversationAsync(request, auth, store, conversationId, ct);
        if (error is not null)
            return error;

        Activity? activity;
        try
        {
            activity = await JsonSerializer.DeserializeAsync<Activity>(request.Body, ActivityJson.Options, ct);
        }
        catch (JsonException ex)
        {
            return Error(400, "BadArgument", $"The body is not a valid activity: {ex.Message}");
        }
        return await AcceptAsync(conversationId, caller!, activity, request, gateway, options.Value, DirectLineStore.AddEchoAsync, ct);
    }

    /// <summary>
    /// Files from the client (WebChat's attach button): multipart with file parts and optionally an <c>activity</c> part
    /// (JSON). The files are stored with the activity, in its transaction, and the activity carries them as attachments
    /// whose <c>contentUrl</c> is the engine's link to each file.
    /// </summary>
    private static async Task<IResult> UploadAsync(string conversationId, HttpRequest request, DirectLineAuth auth, DirectLineStore store,
        InboundGateway gateway, FileStore files, FileUrls urls, IOptions<FilesOptions> options, IOptions<DirectLineOptions> directLine, IOptions<RequestLimitsOptions> limits, CancellationToken ct)
    {
        var (caller, error) = await AuthorizeConversationAsync(request, auth, store, conversationId, ct);
        if (error is not null)
            return error;
        var (form, problem) = await UploadReader.ReadAsync(request, options.Value, [ActivityPart], ct);
        if (problem is not null)
            return Error(problem.Status, "BadArgument", problem.Message);
        if (form!.Files.Count == 0)
            return Error(400, "BadArgument", "The upload has no file parts.");

        var activity = new Activity { Type = Activity.Types.Message };
        if (form.Parts.TryGetValue(ActivityPart, out var json))
        {
            if (StrictJson.Check(Encoding.UTF8.GetBytes(json), limits.Value.MaxJsonDepth) is { } invalid)
                return Error(400, "BadArgument", $"The '{ActivityPart}' part is not valid JSON: {invalid}");
            try
            {
                activity = JsonSerializer.Deserialize<Activity>(json, ActivityJson.Options) ?? activity;
            }
            catch (JsonException ex)
            {
                return Error(400, "BadArgument", $"The '{ActivityPart}' part is not a valid activity: {ex.Message}");
            }
        }
        activity.Type ??= Activity.Types.Message;
        if (activity.Type != Activity.Types.Message)
            return Error(400, "BadArgument", "Files are sent with a 'message' activity.");
        activity.Attachments = form.Files
            .Select(f => new Attachment { ContentType = f.ContentType, ContentUrl = urls.Absolute(f.Id, f.Name, request.Origin()), Name = f.Name })
            .ToList();
        return await AcceptAsync(conversationId, caller!, activity, request, gateway, directLine.Value, async (c, t, batch, stored, seq) =>
        {
            await files.InsertAsync(c, t, form.Files, UploaderKinds.Client, conversationId);
            await DirectLineStore.AddEchoAsync(c, t, batch, stored, seq);
        }, ct);
    }

    /// <summary>
    /// Stores a client activity (with whatever the channel's echo writes in the same transaction) and answers its id.
    /// The sender is the conversation's user, whatever <c>from.id</c> the payload names: a client cannot speak as another.
    /// </summary>
    private static async Task<IResult> AcceptAsync(string conversationId, DirectLineCaller caller, Activity? activity,
        HttpRequest request, InboundGateway gateway, DirectLineOptions options, InboundEcho echo, CancellationToken ct)
    {
        if (activity is null || string.IsNullOrEmpty(activity.Type))
            return Error(400, "BadArgument", "The activity must be a JSON object with a 'type'.");
        if (activity.Text is { Length: var length } && length > options.MaxTextLength)
            return Error(400, "BadArgument", $"The text has {length} characters; at most {options.MaxTextLength} are accepted (DirectLine:MaxTextLength).");

        activity.From ??= new ChannelAccount();
        activity.From.Id = caller.UserId!;
        activity.From.Role = "user";
        activity.Recipient = new ChannelAccount { Id = OutboundWriter.BotAccountId, Role = "bot" };
        activity.ServiceUrl = $"{request.Scheme}://{request.Host}/v3/directline";

        var clientActivityId = activity.ChannelData?["clientActivityID"]?.GetValueKind() == JsonValueKind.String
            ? activity.ChannelData["clientActivityID"]!.GetValue<string>()
            : null;
        var inbound = new InboundActivity(DirectLineStore.Channel, conversationId, activity.From.Id, activity.From.Name,
            clientActivityId ?? activity.Id, activity);
        // Another account's conversation is refused by the gateway (ForeignAccountException, a 403 from the host's one mapping).
        var receipt = await gateway.AcceptAsync(inbound, echo, ct);
        return Results.Ok(new { id = receipt.MessageId });
    }

    /// <summary>The WebSocket stream: ActivitySet frames as activities arrive, and an empty frame as keep-alive.</summary>
    /// <remarks>A socket opened with a token closes when that token expires: the client reconnects with a fresh one, or stops.</remarks>
    private static async Task StreamAsync(string conversationId, string? t, string? watermark, HttpContext context, DirectLineAuth auth, DirectLineStore store,
        ChangeFeed feed, TimeProvider time)
    {
        var ct = context.RequestAborted;
        var auth1 = auth.Authenticate(t is null ? context.Request.Headers.Authorization.ToString() : "Bearer " + t);
        if (auth1.Caller is null || (!auth1.Caller.IsSecret && auth1.Caller.ConversationId != conversationId))
        {
            await Error(auth1.Caller is null ? auth1.Status : 403, auth1.Code ?? "BadArgument", auth1.Message ?? "The token is for another conversation.").ExecuteAsync(context);
            return;
        }
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await Error(400, "BadArgument", "This endpoint takes WebSocket connections.").ExecuteAsync(context);
            return;
        }
        using var subscription = feed.Subscribe();
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        long after = long.TryParse(watermark, out var w) ? w : 0;
        var closing = DrainIncomingAsync(socket, ct);
        var expiresAt = auth1.Caller.ExpiresAt;
        while (socket.State == WebSocketState.Open && !ct.IsCancellationRequested && !closing.IsCompleted)
        {
            var untilExpiry = expiresAt is null ? KeepAlive : expiresAt.Value - time.GetUtcNow();
            if (untilExpiry <= TimeSpan.Zero)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.PolicyViolation, "TokenExpired", ct);
                break;
            }
            var (activities, mark) = await store.ReadAsync(conversationId, after, ct);
            if (activities.Count > 0)
            {
                after = mark;
                await socket.SendAsync(Encoding.UTF8.GetBytes(ActivitySetJson(activities, mark)), WebSocketMessageType.Text, true, ct);
                continue;
            }
            using var timeout = new CancellationTokenSource(untilExpiry < KeepAlive ? untilExpiry : KeepAlive, time);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
            try
            {
                while (await subscription.Reader.WaitToReadAsync(wait.Token))
                {
                    if (subscription.Reader.TryRead(out var e) && e is FeedEvent.ActivitiesAppended a && a.ConversationId == conversationId)
                        break;
                }
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                if (expiresAt is null || expiresAt.Value > time.GetUtcNow())
                    await socket.SendAsync(ReadOnlyMemory<byte>.Empty, WebSocketMessageType.Text, true, ct);
            }
        }
    }

    private static async Task DrainIncomingAsync(WebSocket socket, CancellationToken ct)
    {
        var buffer = new byte[1024];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer, ct);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
        }
    }

    /// <summary>The caller of a conversation's endpoint, with <see cref="DirectLineCaller.UserId"/> set to the conversation's user.</summary>
    internal static async Task<(DirectLineCaller? Caller, IResult? Error)> AuthorizeConversationAsync(
        HttpRequest request, DirectLineAuth auth, DirectLineStore store, string conversationId, CancellationToken ct)
    {
        var result = auth.Authenticate(request.Headers.Authorization);
        if (result.Caller is null)
            return (null, Error(result.Status, result.Code!, result.Message!));
        if (!result.Caller.IsSecret && result.Caller.ConversationId != conversationId)
            return (null, Error(403, "BadArgument", "The token is for another conversation."));
        var (user, refused) = await BoundUserAsync(store, conversationId, result.Caller, ct);
        return refused is not null ? (null, refused) : (result.Caller with { UserId = user }, null);
    }

    /// <summary>
    /// The user a conversation belongs to. A conversation made before conversations were bound gets its user on first
    /// use: the token's, else one the engine picks. A token naming another user than the conversation's is refused.
    /// </summary>
    private static async Task<(string? UserId, IResult? Error)> BoundUserAsync(DirectLineStore store, string conversationId, DirectLineCaller caller, CancellationToken ct)
    {
        var (exists, bound) = await store.FindAsync(conversationId, ct);
        if (!exists)
            return (null, Error(404, "BadArgument", $"Conversation '{conversationId}' does not exist."));
        bound ??= await store.BindUserAsync(conversationId, caller.UserId ?? DirectLineAuth.NewUserId(), ct);
        if (caller.UserId is not null && caller.UserId != bound)
            return (null, Error(403, "BadArgument", "The token is for another user of this conversation."));
        return (bound, null);
    }

    /// <summary><c>{"user":{"id":"dl_..."}}</c>, optional; a body of another shape is an error naming the field.</summary>
    private static async Task<(string? UserId, string? Error)> ReadUserIdAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength is 0 or null && !request.Headers.TransferEncoding.Any())
            return (null, null);
        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(request.Body, cancellationToken: ct);
        }
        catch (JsonException ex)
        {
            return (null, $"The body is not valid JSON: {ex.Message}");
        }
        if (body is null)
            return (null, null);
        if (body is not JsonObject root)
            return (null, "The body must be a JSON object like {\"user\":{\"id\":\"dl_...\"}}.");
        if (!root.TryGetPropertyValue("user", out var user) || user is null)
            return (null, null);
        if (user is not JsonObject account || !account.TryGetPropertyValue("id", out var id) || id is null)
            return (null, "'user' must be an object with a string 'id'.");
        if (id.GetValueKind() != JsonValueKind.String)
            return (null, "'user.id' must be a string.");
        return (id.GetValue<string>(), null);
    }

    private static string NewConversationId() => Ids.New();

    private static string StreamUrl(HttpRequest request, string conversationId, DirectLineAuth auth, string? userId)
    {
        var scheme = request.IsHttps ? "wss" : "ws";
        return $"{scheme}://{request.Host}/v3/directline/conversations/{conversationId}/stream?t={Uri.EscapeDataString(auth.Issue(conversationId, userId))}";
    }

    private static object TokenResponse(DirectLineAuth auth, string conversationId, string? userId, string? streamUrl) => new
    {
        conversationId,
        token = auth.Issue(conversationId, userId),
        expires_in = (int)auth.Lifetime.TotalSeconds,
        streamUrl,
    };

    private static string ActivitySetJson(IReadOnlyList<string> activities, long watermark)
    {
        var builder = new StringBuilder("{\"activities\":[");
        builder.AppendJoin(',', activities);
        builder.Append("],\"watermark\":\"").Append(watermark).Append("\"}");
        return builder.ToString();
    }

    public static IResult Error(int status, string code, string message) =>
        Results.Json(new { error = new { code, message } }, statusCode: status);
}
