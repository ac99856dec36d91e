using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace BotEngine.Engine.Schema;

/// <summary>The Bot Framework Activity: the canonical message model every channel adapter maps to and from.</summary>
public sealed class Activity
{
    public string? Type { get; set; }
    public string? Id { get; set; }
    public DateTimeOffset? Timestamp { get; set; }
    public string? ServiceUrl { get; set; }
    public string? ChannelId { get; set; }
    public ChannelAccount? From { get; set; }
    public ChannelAccount? Recipient { get; set; }
    public ConversationAccount? Conversation { get; set; }
    public string? ReplyToId { get; set; }
    public string? Text { get; set; }
    public string? TextFormat { get; set; }
    public string? Locale { get; set; }
    public List<Attachment>? Attachments { get; set; }
    public SuggestedActions? SuggestedActions { get; set; }
    public JsonNode? Value { get; set; }
    public JsonObject? ChannelData { get; set; }
    public JsonArray? Entities { get; set; }

    /// <summary>Fields this model does not name survive a store and load unchanged.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }

    public static class Types
    {
        public const string Message = "message";
        public const string ConversationUpdate = "conversationUpdate";
        public const string Typing = "typing";
        public const string Event = "event";
        public const string EndOfConversation = "endOfConversation";
    }
}
