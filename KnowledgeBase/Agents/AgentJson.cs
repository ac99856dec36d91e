using System.Text.Json;
using System.Text.Json.Serialization;

namespace BotEngine.KnowledgeBase;

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
