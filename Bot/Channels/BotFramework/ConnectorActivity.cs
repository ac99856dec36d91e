using System.Text.Json.Nodes;
using BotEngine.Channels.Messengers;

namespace BotEngine.Channels.BotFramework;

/// <summary>
/// What the engine reads of an activity the Connector posts: its id (what makes a repeat a no-op), where to answer
/// (serviceUrl, conversation, the two accounts), and what the client sent (text, a card's value, files by URL).
/// </summary>
public sealed record ConnectorActivity(
    string Type,
    string Id,
    string ServiceUrl,
    string ChannelId,
    string ConversationId,
    string UserId,
    string? UserName,
    string BotId,
    string? BotName)
{
    public bool IsGroup { get; init; }

    /// <summary>The group conversation's name (a Teams group chat's topic or channel name), when it has one.</summary>
    public string? ConversationName { get; init; }

    /// <summary>The texts of the mentions of this bot in the message (Teams writes them as <c>&lt;at&gt;Name&lt;/at&gt;</c>).</summary>
    public IReadOnlyList<string> BotMentions { get; init; } = [];
    public string? TenantId { get; init; }
    public string? Text { get; init; }
    public string? Locale { get; init; }
    public JsonObject? Value { get; init; }
    public int MembersAdded { get; init; }
    public IReadOnlyList<RemoteFile> Files { get; init; } = [];

    /// <summary>The activity, or null with the reason (naming the field) when it lacks what every Connector activity has.</summary>
    public static (ConnectorActivity? Activity, string? Problem) Read(JsonObject body)
    {
        static string? Field(JsonNode? node) => JsonFields.Text(node) is { Length: > 0 } text ? text : null;
        var type = Field(body["type"]);
        var id = Field(body["id"]);
        var serviceUrl = Field(body["serviceUrl"]);
        var channelId = Field(body["channelId"]);
        var conversation = Field(body["conversation"]?["id"]);
        var from = Field(body["from"]?["id"]);
        var recipient = Field(body["recipient"]?["id"]);
        var missing = new[] { ("type", type), ("id", id), ("serviceUrl", serviceUrl), ("channelId", channelId), ("conversation.id", conversation), ("from.id", from), ("recipient.id", recipient) }
            .Where(f => f.Item2 is null).Select(f => f.Item1).ToList();
        if (missing.Count > 0)
            return (null, $"An activity needs {string.Join(", ", missing)}.");
        if (!Uri.TryCreate(serviceUrl, UriKind.Absolute, out var service) || service.Scheme is not ("https" or "http"))
            return (null, "serviceUrl: not an absolute http(s) URL.");

        var activity = new ConnectorActivity(type!, id!, serviceUrl!.TrimEnd('/'), channelId!, conversation!, from!, JsonFields.Text(body["from"]?["name"]),
            recipient!, JsonFields.Text(body["recipient"]?["name"]))
        {
            IsGroup = body["conversation"]?["isGroup"] is JsonValue g && g.TryGetValue<bool>(out var isGroup) && isGroup
                || JsonFields.Text(body["conversation"]?["conversationType"]) is "groupChat" or "channel",
            ConversationName = JsonFields.Text(body["conversation"]?["name"]),
            BotMentions = (body["entities"] as JsonArray ?? []).OfType<JsonObject>()
                .Where(e => JsonFields.Text(e["type"]) == "mention" && JsonFields.Text(e["mentioned"]?["id"]) == recipient)
                .Select(e => JsonFields.Text(e["text"]) ?? "").ToList(),
            TenantId = JsonFields.Text(body["conversation"]?["tenantId"]) ?? JsonFields.Text(body["channelData"]?["tenant"]?["id"]),
            Text = JsonFields.Text(body["text"]),
            Locale = JsonFields.Text(body["locale"]),
            Value = body["value"] as JsonObject,
            MembersAdded = (body["membersAdded"] as JsonArray)?.Count ?? 0,
            Files = (body["attachments"] as JsonArray ?? []).OfType<JsonObject>().Select(FileOf).OfType<RemoteFile>().ToList(),
        };
        return (activity, null);
    }

    /// <summary>
    /// A file the client sent: a picture or file by its contentUrl, or Teams' download info (a pre-authorised
    /// downloadUrl). Cards and Teams' HTML copy of the message text are not files.
    /// </summary>
    private static RemoteFile? FileOf(JsonObject attachment)
    {
        var type = JsonFields.Text(attachment["contentType"]);
        var name = JsonFields.Text(attachment["name"]);
        if (type == "application/vnd.microsoft.teams.file.download.info")
            return JsonFields.Text(attachment["content"]?["downloadUrl"]) is { } download ? new RemoteFile(download, name, null, null) : null;
        if (type is null || type.StartsWith("application/vnd.microsoft.", StringComparison.Ordinal) || type.StartsWith("text/html", StringComparison.Ordinal))
            return null;
        return JsonFields.Text(attachment["contentUrl"]) is { } url ? new RemoteFile(url, name, type, null) : null;
    }
}
