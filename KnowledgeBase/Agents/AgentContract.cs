using System.Text.Json;
using System.Text.Json.Serialization;

namespace BotEngine.KnowledgeBase;

/// <summary>Event types the engine posts to an external agent (see docs/external-agent.openapi.yaml).</summary>
public static class AgentEventTypes
{
    public const string DialogStarted = "dialogStarted";
    public const string ClientMessage = "clientMessage";
    public const string ReturnedFromOperator = "returnedFromOperator";
    /// <summary>The dialog this agent owned (or handed to operators) was closed; the answer to it is not used.</summary>
    public const string DialogClosed = "dialogClosed";
}

/// <summary>Who closed a dialog, as <c>dialogClosed</c> says.</summary>
public static class AgentClosers
{
    public const string Operator = "operator";
    /// <summary>A timer: the client's silence with an operator, or the bot's idle timeout.</summary>
    public const string Timer = "timer";
}

/// <summary>Action types an agent answers with.</summary>
public static class AgentActionTypes
{
    public const string Message = "message";
    public const string Done = "done";
    public const string Handoff = "handoff";
    public const string Close = "close";
}

/// <summary>One turn event, POSTed as JSON to the agent's URL and signed (<see cref="AgentSignature"/>).</summary>
public sealed record AgentEvent
{
    /// <summary>Unique per event and the same on every retry: agents use it to drop duplicates.</summary>
    public required string EventId { get; init; }
    public required string Type { get; init; }
    public required string AgentId { get; init; }
    public required string DialogId { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
    public string Language { get; init; } = "ru";
    /// <summary>Where the client writes from; the agent may adapt (e.g. no buttons in SMS).</summary>
    public required AgentChannel Channel { get; init; }
    public AgentClient Client { get; init; } = new();
    /// <summary>The dialog's slot values (dictionary item ids, phones as +7XXXXXXXXXX).</summary>
    public Dictionary<string, string> Slots { get; init; } = [];
    /// <summary>The client's message (clientMessage), or the last one that led here (dialogStarted); absent otherwise.</summary>
    public AgentClientMessage? Message { get; init; }
    /// <summary>Where to POST actions later (asynchronous answers), signed the same way.</summary>
    public string? CallbackUrl { get; init; }
    /// <summary>returnedFromOperator: the operator who gave the dialog back, and their note; dialogClosed: the operator who closed it.</summary>
    public AgentOperator? Operator { get; init; }
    /// <summary>dialogClosed: <c>operator</c> or <c>timer</c> (<see cref="AgentClosers"/>).</summary>
    public string? ClosedBy { get; init; }
}

public sealed record AgentOperator
{
    public required string Id { get; init; }
    public string? Name { get; init; }
    public string? Note { get; init; }
}

public sealed record AgentChannel
{
    /// <summary>"webchat", "telegram", "email", ...</summary>
    public required string Type { get; init; }
    /// <summary>The client's id within the channel, when the channel has one.</summary>
    public string? Id { get; init; }
    /// <summary>The configured channel instance (one of several Telegram bots, say); the type's name for a built-in channel.</summary>
    public string? Instance { get; init; }
}

/// <summary>The client's contact data as the engine knows it.</summary>
public sealed record AgentClient
{
    public string? Id { get; init; }
    public string? Name { get; init; }
    public string? Phone { get; init; }
    public string? Email { get; init; }
}

public sealed record AgentClientMessage
{
    /// <summary>Markdown.</summary>
    public string Text { get; init; } = "";
    public string Format { get; init; } = "markdown";
    /// <summary>The value of a button the agent sent, when the client pressed one.</summary>
    public string? Payload { get; init; }
    public List<AgentFile> Attachments { get; init; } = [];
}

public sealed record AgentFile
{
    public required string Name { get; init; }
    public string ContentType { get; init; } = "application/octet-stream";
    public required string Url { get; init; }
}

/// <summary>The agent's answer: the synchronous response body, or the body of a callback.</summary>
public sealed record AgentResponse
{
    public List<AgentAction> Actions { get; init; } = [];
}

/// <summary>
/// One action. message: text (Markdown), buttons, attachments. done: back to the bot, optionally with slot values.
/// handoff: to operators, optionally a line or an operator. close: end the dialog.
/// </summary>
public sealed record AgentAction
{
    public required string Type { get; init; }
    public string? Text { get; init; }
    public List<AgentButton>? Buttons { get; init; }
    public List<AgentFile>? Attachments { get; init; }
    public Dictionary<string, string>? Slots { get; init; }
    public string? Line { get; init; }
    public List<string>? Skills { get; init; }
    public string? OperatorId { get; init; }
}

/// <summary>A link button (url) or a reply button (value, sent back as the next message's payload).</summary>
public sealed record AgentButton
{
    public required string Label { get; init; }
    public string? Url { get; init; }
    public string? Value { get; init; }
}

public static class AgentJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    /// <summary>Parses and checks an agent's response or callback body; the error says what is wrong.</summary>
    public static bool TryParseResponse(ReadOnlySpan<byte> body, out AgentResponse? response, out string? error)
    {
        response = null;
        error = null;
        if (body.IsEmpty)
        {
            response = new AgentResponse();
            return true;
        }
        try
        {
            response = JsonSerializer.Deserialize<AgentResponse>(body, Options) ?? new AgentResponse();
        }
        catch (JsonException e)
        {
            error = $"invalid JSON at {e.Path ?? "$"}: {e.Message}";
            return false;
        }
        for (var i = 0; i < response.Actions.Count; i++)
        {
            var action = response.Actions[i];
            var problem = action.Type switch
            {
                AgentActionTypes.Message when string.IsNullOrWhiteSpace(action.Text) && (action.Attachments?.Count ?? 0) == 0 => "a message needs text or attachments",
                AgentActionTypes.Message when action.Buttons?.FirstOrDefault(b => (b.Url is null) == (b.Value is null)) is not null => "a button needs exactly one of url and value",
                AgentActionTypes.Message when action.Buttons?.FirstOrDefault(b => b.Url is { } url && !KbValidator.IsHttpUrl(url)) is { } unsafeButton =>
                    $"button url '{unsafeButton.Url}' is not an absolute http(s) URL",
                AgentActionTypes.Message when action.Attachments?.FirstOrDefault(f => !KbValidator.IsHttpUrl(f.Url)) is { } unsafeFile =>
                    $"attachment url '{unsafeFile.Url}' is not an absolute http(s) URL",
                AgentActionTypes.Message or AgentActionTypes.Done or AgentActionTypes.Handoff or AgentActionTypes.Close => null,
                _ => $"unknown action type '{action.Type}'",
            };
            if (problem is not null)
            {
                error = $"actions[{i}]: {problem}";
                response = null;
                return false;
            }
        }
        return true;
    }
}
