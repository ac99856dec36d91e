using System.Text.Json.Serialization;

namespace BotEngine.Channels.DirectLine;

public sealed record DirectLineClaims(
    [property: JsonPropertyName("conv")] string ConversationId,
    [property: JsonPropertyName("user")] string? UserId,
    [property: JsonPropertyName("exp")] long ExpiresAt);
